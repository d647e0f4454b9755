import Foundation

/// The `Subject:` header line a lane wrote last, kept for its next message, which most likely
/// has the same Subject: a template's, the same for every customer unless it names them.
/// Encoding a Subject as encoded-words and folding it cost about 18,000 instructions an e-mail.
///
/// The Subject is compared by its bytes (`memcmp`; `elementsEqual` over the UTF-8 views cost
/// 60 instructions a byte): String's `==` also takes a canonically equivalent spelling (a
/// precomposed "é" for "e" and a combining accent) as the same, whose encoded bytes differ.
/// Not thread-safe: one per lane, used by that lane's thread only.
final class SubjectLine {
    private var subject: [UInt8] = []
    private var line: String?

    /// The folded `Subject:` line for `subject`, without CRLF.
    func line(for subject: String) -> String {
        var text = subject
        return text.withUTF8 { bytes in
            if let line, bytes.count == self.subject.count,
               bytes.isEmpty || self.subject.withUnsafeBufferPointer({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }) {
                return line
            }
            let line = Self.make(subject)
            (self.subject, self.line) = (Array(bytes), line)
            return line
        }
    }

    /// The folded `Subject:` line for `subject`, made anew.
    static func make(_ subject: String) -> String {
        HeaderEncoding.fold("Subject", HeaderEncoding.unstructuredTokens(subject, headerName: "Subject"))
    }
}
