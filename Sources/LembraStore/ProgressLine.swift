import Foundation

/// The text format of the progress file: one line per event, `<checksum> <payload>\n`, where the
/// checksum is the FNV-1a 32-bit hash of the payload in 8 lowercase hex digits. Payloads:
///
///     lembra-progress 1 <boot id>                           the header, first line
///     P <attempt id>                                        prepared
///     S <attempt id>                                        started
///     D <attempt id> sent
///     D <attempt id> retry <unix seconds> <0|1> <reason>   retry at that time; 1: may have arrived
///     D <attempt id> dead <reason>
///     D <attempt id> doubt <reason>
///     D <attempt id> down <unix seconds> <reason>          its channel is down: wait, no try spent
///
/// The checksum is what makes a damaged line visible: threads append their lines to the same
/// file, and a write torn by the crash followed by another thread's whole line would otherwise
/// read as one plausible line (a reason with the next line glued on), hiding that line's event.
enum ProgressLine {
    static let magic = "lembra-progress 1"

    /// `payload` as a whole line, checksum and newline included. Line breaks in it (a reason's)
    /// become spaces, so a line is always one line.
    static func encode(_ payload: String) -> String {
        var line: [UInt8] = []
        encode(payload, into: &line)
        return String(decoding: line, as: UTF8.self)
    }

    /// The same, appended to `line` on bytes: a tick writes two or three lines per message.
    static func encode(_ payload: String, into line: inout [UInt8]) {
        let clean = mayHoldNewline(payload) && payload.contains(where: \.isNewline)
            ? String(payload.map { $0.isNewline ? " " : $0 }) : payload
        let sum = checksum(clean.utf8)
        for i in 0..<8 { line.append(digits[Int(sum >> UInt32(28 - 4 * i) & 0xF)]) }
        line.append(UInt8(ascii: " "))
        line += clean.utf8
        line.append(UInt8(ascii: "\n"))
    }

    /// Whether `text` has a byte that a line break is made of (LF, VT, FF, CR, or any byte of a
    /// non-ASCII character: U+0085, U+2028 and U+2029 are breaks too). Most payloads are an id
    /// and a word, checked on bytes before any Character is.
    private static func mayHoldNewline(_ text: String) -> Bool {
        text.utf8.contains { (0x0A...0x0D).contains($0) || $0 >= 0x80 }
    }

    /// The payload of `line` (without its newline) when its checksum matches, else nil.
    static func decode(_ line: Substring) -> Substring? {
        let sum = line.prefix(8), payload = line.dropFirst(9)
        guard line.dropFirst(8).first == " " else { return nil }
        return sum == hex(checksum(payload.utf8)) ? payload : nil
    }

    static func header(bootID: String) -> String { "\(magic) \(bootID)" }
    static func prepared(_ id: String) -> String { "P \(id)" }
    static func started(_ id: String) -> String { "S \(id)" }

    static func finished(_ id: String, _ outcome: AttemptOutcome) -> String {
        switch outcome {
        case .sent: "D \(id) sent"
        case .retry(let at, let reason, let mayHaveArrived): "D \(id) retry \(at.timeIntervalSince1970) \(mayHaveArrived ? 1 : 0) \(reason)"
        case .dead(let reason): "D \(id) dead \(reason)"
        case .inDoubt(let reason): "D \(id) doubt \(reason)"
        case .channelDown(let at, let reason): "D \(id) down \(at.timeIntervalSince1970) \(reason)"
        }
    }

    /// The attempt id and event of an event payload; nil when it is not one.
    static func event(_ payload: Substring) -> (id: String, event: ProgressEvent)? {
        let fields = payload.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count >= 2, !fields[1].isEmpty else { return nil }
        let id = String(fields[1])
        switch (fields[0], fields.count) {
        case ("P", 2): return (id, .prepared)
        case ("S", 2): return (id, .started)
        case ("D", 3): return outcome(fields[2]).map { (id, .finished($0)) }
        default: return nil
        }
    }

    private static func outcome(_ text: Substring) -> AttemptOutcome? {
        let parts = text.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
        let rest = parts.count > 1 ? String(parts[1]) : ""
        switch parts[0] {
        case "sent": return parts.count == 1 ? .sent : nil
        case "dead": return .dead(reason: rest)
        case "doubt": return .inDoubt(reason: rest)
        case "down":
            let f = rest.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
            guard f.count == 2, let at = Double(f[0]) else { return nil }
            return .channelDown(at: Date(timeIntervalSince1970: at), reason: String(f[1]))
        case "retry":
            let f = rest.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard f.count == 3, let at = Double(f[0]), f[1] == "0" || f[1] == "1" else { return nil }
            return .retry(at: Date(timeIntervalSince1970: at), reason: String(f[2]), mayHaveArrived: f[1] == "1")
        default: return nil
        }
    }

    static func checksum<S: Sequence>(_ bytes: S) -> UInt32 where S.Element == UInt8 {
        var hash: UInt32 = 2_166_136_261
        for byte in bytes { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return hash
    }

    /// `value` in 8 lowercase hex digits.
    private static func hex(_ value: UInt32) -> String {
        String(unsafeUninitializedCapacity: 8) { buffer in
            for i in 0..<8 { buffer[i] = digits[Int(value >> UInt32(28 - 4 * i) & 0xF)] }
            return 8
        }
    }

    private static let digits = Array("0123456789abcdef".utf8)
}
