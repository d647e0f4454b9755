import Foundation
import LembraCore
@testable import LembraDaemon
import Testing
import TestSupport

/// `config/lembra.example.yaml` writes out the defaults (every key marked `# default`, the
/// ladders of every segment among them): the example with those keys left out must load to the
/// same config, so the reference can never drift from what the code does.
struct ExampleConfigDefaultsTests {
    /// Keys the example must mark as defaults (it may mark more; each is checked the same way).
    static let mustBeMarked: Set<String> = [
        "database", "tick", "timezone", "locale", "currency", "weekdays", "saturday", "sunday", "holidays",
        "allow_outside_legal_window", "min_gap", "per_customer_per_week", "segments", "ladders", "on_paid", "in_doubt",
        "max_tries", "base_delay", "max_delay", "shutdown_timeout", "connect_timeout", "timeout", "max_connections", "expires_in",
    ]

    @Test func theExamplesMarkedValuesAreTheBuiltInDefaults() throws {
        let example = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("config/lembra.example.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "templates: /etc/lembra/templates",
                                  with: "templates: \(RepositoryPaths.root.appendingPathComponent("config/templates").path)")
        let (defaulted, removed) = Self.withoutDefaults(example)
        #expect(Self.mustBeMarked.subtracting(removed).isEmpty, "not marked # default: \(Self.mustBeMarked.subtracting(removed).sorted())")

        let f = try ConfigFixture()
        for name in ["smtp-password", "link-signing-secret", "sms-webhook-secret", "crm-webhook-secret"] {
            let file = try f.dir.write(name, name.hasSuffix("webhook-secret") ? "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" : "s3cret")
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        }
        let written = try f.load(example)
        let built = try f.load(defaulted)
        #expect(written.policy.segments == built.policy.segments)
        for name in Set(written.policy.ladders.keys).union(built.policy.ladders.keys).sorted() {
            #expect(written.policy.ladders[name] == built.policy.ladders[name], "ladders.\(name)")
        }
        #expect(written.policy.upcoming == built.policy.upcoming)
        #expect(written.policy.onPaid == built.policy.onPaid)
        #expect(written.policy == built.policy, "window, limits, handoff channels")
        #expect(written.database == built.database && written.tick == built.tick && written.timeZone == built.timeZone)
        #expect(written.locale == built.locale && written.currency == built.currency)
        #expect(written.inDoubt == built.inDoubt && written.retry == built.retry && written.shutdownTimeout == built.shutdownTimeout)
        for name in Set(written.channels.keys).union(built.channels.keys).sorted() {
            #expect(written.channels[name] == built.channels[name], "channels.\(name)")
        }
        #expect(written.paymentLink == built.paymentLink)
    }

    /// `yaml` without its lines marked `# default` (a comment after a value), each with the
    /// lines nested under it, and without a key left with nothing under it; and the names of
    /// the keys taken out.
    static func withoutDefaults(_ yaml: String) -> (String, Set<String>) {
        func indent(_ line: Substring) -> Int { line.prefix { $0 == " " }.count }
        func isComment(_ line: Substring) -> Bool { line.drop { $0 == " " }.first.map { $0 == "#" } ?? true }
        func key(_ line: Substring) -> String { String(line.drop { $0 == " " }.prefix { $0 != ":" }) }
        var lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        var removed: Set<String> = []
        var i = 0
        while i < lines.count {
            guard !isComment(lines[i]), lines[i].contains("# default") else { i += 1; continue }
            removed.insert(key(lines[i]))
            let level = indent(lines[i])
            var end = i + 1
            while end < lines.count, isComment(lines[end]) || indent(lines[end]) > level { end += 1 }
            lines.removeSubrange(i..<end)
        }
        // A mapping whose every key was a default (`retry:`) would be left empty: null, not a mapping.
        var emptied = true
        while emptied {
            emptied = false
            for (n, line) in lines.enumerated() where !isComment(line) && line.hasSuffix(":") {
                let next = lines[(n + 1)...].first { !isComment($0) }
                if next.map({ indent($0) <= indent(line) }) ?? true { lines.remove(at: n); emptied = true; break }
            }
        }
        return (lines.joined(separator: "\n"), removed)
    }
}
