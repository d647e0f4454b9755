import Foundation
import Yams

/// Collects config problems while the YAML tree is read, so one `check-config` run reports them all.
final class ProblemSink: @unchecked Sendable {
    let file: String
    private(set) var problems: [ConfigProblem] = []
    init(file: String) { self.file = file }

    func add(_ mark: Mark?, _ message: String, warning: Bool = false) {
        add(line: mark?.line ?? 1, column: mark?.column ?? 1, message, warning: warning)
    }

    func add(line: Int, column: Int = 1, _ message: String, warning: Bool = false) {
        problems.append(ConfigProblem(file: file, line: line, column: column, message: message, isWarning: warning))
    }

    func merge(_ other: ProblemSink) { problems += other.problems }
}

/// A position in the YAML tree with its dotted key path (`channels.email.url`), so every
/// message says where and what. Typed accessors report a problem and return nil on mismatch.
struct YAMLCursor {
    let node: Node
    let path: String
    let sink: ProblemSink

    var mark: Mark? { node.mark }

    func fail(_ message: String) { sink.add(mark, path.isEmpty ? message : "\(path): \(message)") }
    func warn(_ message: String) { sink.add(mark, path.isEmpty ? message : "\(path): \(message)", warning: true) }

    /// The keys of a mapping, reporting keys not in `allowed` (typos would otherwise be ignored).
    func mapping(allowed: [String]? = nil) -> [(key: String, value: YAMLCursor)]? {
        guard let map = node.mapping else { fail("expected a mapping (key: value)"); return nil }
        var result: [(String, YAMLCursor)] = []
        for (k, v) in map {
            let key = k.string ?? ""
            let child = YAMLCursor(node: v, path: path.isEmpty ? key : "\(path).\(key)", sink: sink)
            if let allowed, !allowed.contains(key) {
                sink.add(k.mark, "\(child.path): unknown key; expected one of \(allowed.joined(separator: ", "))")
                continue
            }
            result.append((key, child))
        }
        return result
    }

    func list() -> [YAMLCursor]? {
        guard let seq = node.sequence else { fail("expected a list"); return nil }
        return seq.enumerated().map { YAMLCursor(node: $1, path: "\(path)[\($0)]", sink: sink) }
    }

    func string() -> String? {
        guard let s = node.scalar?.string else { fail("expected a text value"); return nil }
        return s
    }

    func int(in range: ClosedRange<Int> = Int.min...Int.max) -> Int? {
        guard let s = string() else { return nil }
        guard let v = Int(s), range.contains(v) else { fail("expected a whole number in \(range.lowerBound)...\(range.upperBound), got '\(s)'"); return nil }
        return v
    }

    func bool() -> Bool? {
        switch string() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        case let s?: fail("expected true or false, got '\(s)'"); return nil
        case nil: return nil
        }
    }

    /// `90s`, `5m`, `48h`, `7d` (also negative, `-3d`) in seconds. Every key takes only some of
    /// them: see `positiveDuration` and `nonNegativeDuration`.
    func duration() -> Double? {
        guard let s = string() else { return nil }
        guard let v = Duration.seconds(s) else { fail("expected a duration like 30s, 5m, 48h or 7d, got '\(s)'"); return nil }
        return v
    }

    /// A duration more than zero (a delay, an expiry) and at most `max` seconds (the key's bound
    /// in `ConfigLimits`). Anything else is reported at the value and nil is returned, so the
    /// caller's default applies and no later check reports it again.
    func positiveDuration(atMost max: Double) -> Double? { positiveDuration().flatMap { self.duration($0, atMost: max) } }

    /// A duration more than zero and less than `limit` seconds (a timeout), reported like
    /// `positiveDuration(atMost:)`.
    func positiveDuration(below limit: Double) -> Double? {
        guard let v = positiveDuration() else { return nil }
        guard v < limit else { fail("must be less than \(Duration.text(limit)), got '\(node.scalar?.string ?? "")'"); return nil }
        return v
    }

    private func positiveDuration() -> Double? {
        guard let v = duration() else { return nil }
        guard v > 0 else { fail("must be more than zero, like 30s, 5m, 48h or 7d, got '\(node.scalar?.string ?? "")'"); return nil }
        return v
    }

    /// A duration of zero or more (a gap that may be none) and at most `max` seconds; anything
    /// else is reported at the value.
    func nonNegativeDuration(atMost max: Double) -> Double? {
        guard let v = duration() else { return nil }
        guard v >= 0 else { fail("must not be negative: 0s or more, like 48h, got '\(node.scalar?.string ?? "")'"); return nil }
        return duration(v, atMost: max)
    }

    private func duration(_ v: Double, atMost max: Double) -> Double? {
        guard v <= max else { fail("must be at most \(Duration.text(max)), got '\(node.scalar?.string ?? "")'"); return nil }
        return v
    }

    /// A path; relative ones are taken from the config file's folder.
    func path(relativeTo base: URL) -> String? {
        guard let s = string(), !s.isEmpty else { return nil }
        return s.hasPrefix("/") ? s : base.appendingPathComponent(s).standardizedFileURL.path
    }
}

/// Parses the duration syntax of the config.
enum Duration {
    static func seconds(_ text: String) -> Double? {
        guard let unit = text.last, let n = Double(text.dropLast()), n.isFinite else { return nil }
        switch unit {
        case "s": return n
        case "m": return n * 60
        case "h": return n * 3600
        case "d": return n * 86_400
        default: return nil
        }
    }

    /// `seconds` the way the config writes it, in the largest unit that divides it (`1d`, `90s`).
    static func text(_ seconds: Double) -> String {
        for (unit, size) in [("d", 86_400.0), ("h", 3600), ("m", 60)] where seconds >= size && seconds.truncatingRemainder(dividingBy: size) == 0 {
            return "\(Int(seconds / size))\(unit)"
        }
        return seconds == seconds.rounded() ? "\(Int(seconds))s" : "\(seconds)s"
    }
}
