/// The character encoding a CSV file was read in. UTF-8 when the bytes are valid UTF-8;
/// otherwise Windows-1252, which Excel and LibreOffice in pt-BR write unless "CSV UTF-8" is
/// chosen. A file in Windows-1252 with an accent is almost never valid UTF-8 (`João` is
/// `4A E3 6F`, and `E3` must be followed by two continuation bytes), so the guess is safe; the
/// import still says which encoding it assumed, so a wrong guess is seen, never silent.
public enum CSVEncoding: String, Sendable, Equatable {
    case utf8 = "UTF-8"
    case windows1252 = "Windows-1252"

    /// A line for the import summary when the encoding was assumed rather than declared by the
    /// bytes; nil for UTF-8.
    public var notice: String? {
        self == .windows1252 ? "read as Windows-1252 (the file is not UTF-8; pt-BR spreadsheets save that way unless \"CSV UTF-8\" is chosen)" : nil
    }

    /// `bytes` as UTF-8 (a leading BOM removed) and the encoding they were read in. Only the
    /// five bytes Windows-1252 leaves undefined fail, with the row (counted by line ends) they are on.
    static func decode(_ bytes: [UInt8]) throws(CSVError) -> (utf8: [UInt8], encoding: CSVEncoding) {
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        if String(validating: body, as: UTF8.self) != nil { return (body, .utf8) }
        var out: [UInt8] = []
        out.reserveCapacity(body.count + body.count / 8)
        var line = 1
        for b in body {
            if b == UInt8(ascii: "\n") { line += 1 }
            guard b >= 0x80 else { out.append(b); continue }
            guard let scalar = windows1252(b) else {
                throw CSVError(row: line, "neither UTF-8 nor Windows-1252 (byte 0x\(String(b, radix: 16, uppercase: true)) means nothing in either); save the file as \"CSV UTF-8\"")
            }
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        }
        return (out, .windows1252)
    }

    /// The character of a Windows-1252 byte above 0x7F: 0xA0...0xFF are Latin-1, 0x80...0x9F
    /// the typographic marks Microsoft put there (€, quotes, dashes, Š, Œ, ...).
    static func windows1252(_ b: UInt8) -> Unicode.Scalar? {
        if b >= 0xA0 { return Unicode.Scalar(b) }
        let high: [UInt32?] = [
            0x20AC, nil, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, nil, 0x017D, nil,
            nil, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, nil, 0x017E, 0x0178,
        ]
        return high[Int(b) - 0x80].flatMap(Unicode.Scalar.init)
    }
}
