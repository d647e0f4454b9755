import CCurl
import Foundation

/// The start of an HTTP response body, collected by libcurl's write callback through
/// `CURLOPT_WRITEDATA` (an unretained pointer; the transport keeps it alive for the transfer).
///
/// Only the first `capacity` bytes are kept: the body is used for nothing but a short excerpt in
/// error messages, and a receiver must not be able to make us buffer megabytes.
final class ResponseBody {
    static let capacity = 2048
    /// Longest error message that includes an excerpt (`DeliveryError` cuts longer ones).
    static let messageLength = 200

    private var bytes: [UInt8] = []

    func append(_ chunk: UnsafeRawBufferPointer) {
        let room = Self.capacity - bytes.count
        if room > 0 { bytes.append(contentsOf: chunk.prefix(room)) }
    }

    /// One line of at most `limit` characters that is safe to log: every occurrence of a
    /// `sensitive` string (secret, signature, static header values a receiver might echo back)
    /// and every form of the request's `personal` data becomes `<redacted>` (JSON escapes are
    /// decoded first, so an escaped echo is recognised), control characters become spaces and
    /// runs of whitespace collapse. Cut only after redacting, so no value survives in part.
    func excerpt(redacting sensitive: [String], personal: PersonalData, limit: Int) -> String {
        var text = PersonalData.unescapingJSON(String(decoding: bytes, as: UTF8.self))
        for secret in sensitive where !secret.isEmpty {
            text = text.replacingOccurrences(of: secret, with: PersonalData.redacted)
        }
        text = personal.redact(text)
        let words = text.unicodeScalars.split(whereSeparator: { $0.properties.generalCategory == .control
            || $0.properties.isWhitespace })
        let line = words.map { String(String.UnicodeScalarView($0)) }.joined(separator: " ")
        return line.count > limit ? String(line.prefix(max(0, limit - 1))) + "…" : line
    }
}

/// libcurl's write callback: a top-level, non-capturing function, as C function pointers require.
/// It always reports the whole chunk as consumed (returning less would abort the transfer).
func responseBodyWrite(data: UnsafeMutablePointer<CChar>?, size: Int, count: Int,
                       context: UnsafeMutableRawPointer?) -> Int {
    guard let data, let context else { return size * count }
    Unmanaged<ResponseBody>.fromOpaque(context).takeUnretainedValue()
        .append(UnsafeRawBufferPointer(start: data, count: size * count))
    return size * count
}
