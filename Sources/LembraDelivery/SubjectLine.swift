/// The `Subject:` header line a lane wrote last, kept for its next message, which most likely
/// has the same Subject: a template's, the same for every customer unless it names them.
/// Encoding a Subject as encoded-words and folding it cost about 18,000 instructions an e-mail.
///
/// The Subject is compared by its bytes: String's `==` also takes a canonically equivalent
/// spelling (a precomposed "é" for "e" and a combining accent) as the same, whose encoded
/// bytes differ. Not thread-safe: one per lane, used by that lane's thread only.
final class SubjectLine {
    private var subject = ""
    private var line: String?

    /// The folded `Subject:` line for `subject`, without CRLF.
    func line(for subject: String) -> String {
        if let line, subject.utf8.count == self.subject.utf8.count, subject.utf8.elementsEqual(self.subject.utf8) { return line }
        let line = Self.make(subject)
        (self.subject, self.line) = (subject, line)
        return line
    }

    /// The folded `Subject:` line for `subject`, made anew.
    static func make(_ subject: String) -> String {
        HeaderEncoding.fold("Subject", HeaderEncoding.unstructuredTokens(subject, headerName: "Subject"))
    }
}
