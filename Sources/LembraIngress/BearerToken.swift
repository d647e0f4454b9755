/// The `authorization: Bearer <token>` check of the Pix routes.
enum BearerToken {
    /// Compares every byte whatever differs first, so the time taken tells nothing about the
    /// token but its length.
    static func matches(_ header: String?, token: String) -> Bool {
        guard let header, header.hasPrefix("Bearer ") else { return false }
        let given = Array(header.dropFirst(7).utf8), expected = Array(token.utf8)
        guard given.count == expected.count else { return false }
        return zip(given, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
