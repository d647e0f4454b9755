import Foundation

/// Personal data a request carried (the customer's name, e-mail address, phone, document), to
/// be cut out of what a server answers before that becomes a log line, or a reason shown by
/// `status` and `history` (LGPD: those carry ids, never personal data).
///
/// A receiver that rejects a request often quotes it back, and in any shape: as sent, in
/// another case, without accents, JSON-escaped (`Jo\u00e3o`), URL-encoded
/// (`ana.souza%40example.com`, `Ana+Souza`), digits only (`5511912345678` for
/// `+55 11 91234-5678`), a name in parts (`"first": "Ana"`, `MARIA OLIVEIRA` for
/// `Maria S. Oliveira`). So each value is cut wherever it appears ignoring case and accents, and
/// also as its digits; a value without digits or `@` (a name) also word by word.
/// `scrubbed(_:)` adds what needs no knowledge of the request: e-mail-like words and numbers
/// shaped like a phone, a CPF or a CNPJ.
struct PersonalData {
    static let redacted = "<redacted>"

    /// Whole values, longest first (so a value containing another is cut whole).
    private let values: [String]
    /// The values' digits, for those with enough digits to identify someone.
    private let digitForms: [String]
    /// The words of name-like values, case- and accent-folded: every run of two letters or more,
    /// whatever separates them (`Maria S. Oliveira`, `O'Brien-Smith`); an initial alone names no
    /// one. A two-letter word a capitalised name writes in lowercase is a particle (`de`, `da`,
    /// `do`), kept so that the receiver's own Portuguese stays readable.
    private let nameWords: Set<String>

    init(values: [String]) {
        let kept = Set(values.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { $0.count >= 3 })
        self.values = kept.sorted { $0.count > $1.count }
        digitForms = Set(kept.map { String($0.filter { ("0"..."9").contains($0) }) }.filter { $0.count >= 6 }).sorted { $0.count > $1.count }
        nameWords = Set(kept.filter { !$0.contains("@") && !$0.contains(where: \.isNumber) }.flatMap { name in
            let capitalised = name.contains(where: \.isUppercase)
            return name.split { !$0.isLetter }.filter { $0.count >= 2 && !(capitalised && $0.count == 2 && $0.allSatisfy(\.isLowercase)) }
        }.map { Self.fold(String($0)) })
    }

    /// The string values at `fields` (dotted keys into nested objects, `customer.name`) of the
    /// JSON object `body`; none when the body isn't one. Parsed only when needed: an error reply.
    init(json body: Data, fields: [String]) {
        guard !fields.isEmpty, let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            self.init(values: [])
            return
        }
        self.init(values: fields.compactMap { path in
            var node: Any? = object
            for key in path.split(separator: ".") { node = (node as? [String: Any])?[String(key)] }
            return node as? String
        })
    }

    /// `text` with JSON `\uXXXX` escapes and URL encoding decoded and every form of every value
    /// replaced by `<redacted>`, then `scrubbed(_:)`.
    func redact(_ text: String) -> String {
        var text = Self.unescapingURL(Self.unescapingJSON(text))
        for value in values {
            text = text.replacingOccurrences(of: value, with: Self.redacted, options: [.caseInsensitive, .diacriticInsensitive])
        }
        for digits in digitForms { text = text.replacingOccurrences(of: digits, with: Self.redacted) }
        if !nameWords.isEmpty { text = redactingWords(text) }
        return Self.scrubbed(text)
    }

    /// Every run of letters that is one of the name's words.
    private func redactingWords(_ text: String) -> String {
        var out = "", word = ""
        func flush() {
            out += nameWords.contains(Self.fold(word)) ? Self.redacted : word
            word = ""
        }
        for c in text {
            if c.isLetter { word.append(c) } else { flush(); out.append(c) }
        }
        flush()
        return out
    }

    /// `text` without what looks like personal data whoever it belongs to: any whitespace-
    /// separated word with an `@` or a URL-encoded one, `%40` (an e-mail address), and numbers shaped like a phone (with or
    /// without country and area code, spaces, dots or dashes), a CPF, a CNPJ (also alphanumeric,
    /// masked), or 8 digits and more in a row. Dates, times, IP addresses, ports, status codes
    /// and amounts don't have those shapes and stay.
    static func scrubbed(_ text: String) -> String {
        let words = text.split(separator: " ", omittingEmptySubsequences: false).map { word in
            word.contains("@") || word.range(of: "%40", options: .caseInsensitive) != nil ? Substring(redacted) : word
        }
        let joined = words.joined(separator: " ")
        let range = NSRange(joined.startIndex..., in: joined)
        return numbers.stringByReplacingMatches(in: joined, range: range, withTemplate: redacted)
    }

    /// Phone, CPF, CNPJ and long digit runs, not inside a longer word or number.
    private static let numbers: NSRegularExpression = {
        let phone = #"(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,3}\)[ .-]?|\d{2,3}[ .-])?\d{4,5}[ .-]?\d{4}"#
        let cpf = #"\d{3}\.?\d{3}\.?\d{3}-?\d{2}"#
        let cnpj = #"\d{2}\.?\d{3}\.?\d{3}/?\d{4}-?\d{2}|[0-9A-Za-z]{2}\.[0-9A-Za-z]{3}\.[0-9A-Za-z]{3}/[0-9A-Za-z]{4}-\d{2}"#
        let pattern = #"(?<![\p{L}\p{N}])(?:"# + [cnpj, cpf, phone, #"\d{8,}"#].joined(separator: "|") + #")(?![\p{L}\p{N}])"#
        // A constant pattern: it either compiles or the tests fail at once.
        return try! NSRegularExpression(pattern: pattern)
    }()

    /// Decodes `\uXXXX` escapes (surrogate pairs included) and `\/`, so an escaped echo of a
    /// value is recognised; anything else is left as it is.
    static func unescapingJSON(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var i = 0
        func hex(at j: Int) -> UInt32? {
            guard j + 6 <= scalars.count, scalars[j] == "\\", scalars[j + 1] == "u" else { return nil }
            return UInt32(String(String.UnicodeScalarView(scalars[j + 2..<j + 6])), radix: 16)
        }
        while i < scalars.count {
            if let high = hex(at: i) {
                if (0xD800..<0xDC00).contains(high), let low = hex(at: i + 6), (0xDC00..<0xE000).contains(low),
                   let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) {
                    out.append(scalar)
                    i += 12
                    continue
                }
                if let scalar = Unicode.Scalar(high) {
                    out.append(scalar)
                    i += 6
                    continue
                }
            }
            if scalars[i] == "\\", i + 1 < scalars.count, scalars[i + 1] == "/" {
                out.append("/")
                i += 2
                continue
            }
            out.append(scalars[i])
            i += 1
        }
        return String(out)
    }

    /// Decodes URL encoding in each space-separated word that has a valid `%XX` escape: the
    /// escapes, and `+` as a space (form encoding), so that `maria%40example.com` or
    /// `Maria+Oliveira` is recognised. A word without one, or whose escapes aren't UTF-8
    /// (`100%`, `%zz`, `%FF`), is left as it is: a reply is text to match, never to reject.
    static func unescapingURL(_ text: String) -> String {
        guard text.contains("%") else { return text }
        return text.split(separator: " ", omittingEmptySubsequences: false)
            .map { word in word.contains("%") ? urlDecoded(word) ?? String(word) : String(word) }
            .joined(separator: " ")
    }

    /// `word` decoded, or nil when it has no valid escape or doesn't decode to UTF-8.
    private static func urlDecoded(_ word: Substring) -> String? {
        func hex(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        let input = Array(word.utf8)
        var bytes: [UInt8] = [], escapes = 0, i = 0
        bytes.reserveCapacity(input.count)
        while i < input.count {
            if input[i] == UInt8(ascii: "%"), i + 2 < input.count, let high = hex(input[i + 1]), let low = hex(input[i + 2]) {
                bytes.append(high << 4 | low)
                escapes += 1
                i += 3
            } else {
                bytes.append(input[i] == UInt8(ascii: "+") ? UInt8(ascii: " ") : input[i])
                i += 1
            }
        }
        guard escapes > 0 else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Lowercase without accents, for comparing words.
    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }
}
