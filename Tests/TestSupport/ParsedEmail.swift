import Foundation

/// A message as Python's `email` package (policy.default) understands it: an independent
/// decoder for what we render, so tests don't check our encoder with our own assumptions.
public struct ParsedEmail: Decodable, Sendable {
    /// Decoded header values (RFC 2047 words decoded, folding undone), keyed by lowercase name;
    /// the first occurrence wins.
    public let headers: [String: String]
    /// The decoded text body with LF line endings.
    public let body: String
    public let contentType: String
    public let charset: String
    /// Names of the defects the parser found; a well-formed message has none.
    public let defects: [String]

    enum CodingKeys: String, CodingKey {
        case headers, body, defects, charset
        case contentType = "content_type"
    }

    public subscript(header: String) -> String? { headers[header.lowercased()] }

    public static func parse(_ raw: Data) throws -> ParsedEmail {
        let script = RepositoryPaths.servers.appendingPathComponent("parse_email.py").path
        let json = try ShellCommand.run(RepositoryPaths.python, [script], input: raw)
        return try JSONDecoder().decode(ParsedEmail.self, from: json)
    }
}
