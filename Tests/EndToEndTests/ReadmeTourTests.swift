import Foundation
import Testing
import TestSupport

/// The README's five-minute tour, run exactly as written (its shell block, then the commands it
/// suggests trying) with bash in a scratch copy of `config/`, against the built binary, where a
/// reader runs it: after `make demo` (its recipe, from the Makefile), in the same folder.
struct ReadmeTourTests {
    @Test func theFiveMinuteTourRunsAsWritten() throws {
        let readme = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("README.md"), encoding: .utf8)
        let tour = try #require(Self.section("## Five-minute tour", of: readme))
        let block = try #require(Self.firstShellBlock(in: tour), "the tour has a ```sh block")
        let suggested = Self.inlineCommands(in: tour, after: block)
        #expect(suggested.count == 2, "the tour suggests a preview over 10 days and a Sunday run: \(suggested)")

        let dir = try TemporaryDirectory("lembra-tour")
        try FileManager.default.copyItem(at: RepositoryPaths.root.appendingPathComponent("config"), to: dir.path("config"))
        try FileManager.default.createDirectory(at: dir.path(".build/debug"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: dir.path(".build/debug/lembra"), withDestinationURL: LembraBinary.url)
        // `make demo` first, as the README says (its build step aside: the binary is built).
        try FileManager.default.copyItem(at: RepositoryPaths.root.appendingPathComponent("Makefile"), to: dir.path("Makefile"))
        let demo = try ShellCommand.run(URL(fileURLWithPath: "/bin/bash"), ["-c", "cd \(dir.url.path) && make --no-print-directory -o build demo 2>&1"])
        #expect(String(decoding: demo, as: UTF8.self).contains("Reminder e-mails written to demo/outbox/new/"))
        // Every command must succeed; stderr (the daemon's log lines) joins stdout so a failure shows it.
        let script = "set -euo pipefail\nexec 2>&1\ncd \(dir.url.path)\n" + block + "\n" + suggested.joined(separator: "\n") + "\n"
        let output: String
        do {
            output = String(decoding: try ShellCommand.run(URL(fileURLWithPath: "/bin/bash"), ["-c", script]), as: UTF8.self)
        } catch {
            Issue.record("the tour failed: \(error)\n--- script\n\(script)")
            return
        }
        #expect(output.contains("config/demo/customers.csv: 8 new, 0 updated"), "\(output)")
        #expect(output.contains("config/demo/debts.csv: 12 new, 0 updated"), "\(output)")
        #expect(output.contains("sent=6"), "the first tick sends the demo's six reminders: \(output)")
        #expect(output.contains("d-1001: paid; reminders stopped"), "\(output)")
        let ticks = output.split(separator: "\n").filter { $0.hasPrefix("planned=") }
        #expect(ticks.count == 4, "\(output)")
        if ticks.count == 4 {
            #expect(ticks[1].contains("sent=1"), "the thank-you: \(ticks[1])")
            #expect(ticks[2].contains("claimed=0 sent=0"), "every step went out once: \(ticks[2])")
            #expect(ticks[3].contains("claimed=0 sent=0"), "nothing goes out on a Sunday: \(ticks[3])")
        }
        #expect(output.contains("reason=holiday"), "20/11 is a holiday in the preview: \(output)")
        let outbox = try FileManager.default.contentsOfDirectory(atPath: dir.path("demo/outbox/new").path)
        #expect(outbox.count == 7, "\(outbox)")
    }

    /// The text from `heading` to the next heading of the same or a higher level.
    static func section(_ heading: String, of markdown: String) -> String? {
        guard let start = markdown.range(of: "\n" + heading + "\n") else { return nil }
        let rest = markdown[start.upperBound...]
        let end = rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex
        return String(rest[..<end])
    }

    /// The body of the first ```sh fenced block.
    static func firstShellBlock(in text: String) -> String? {
        guard let open = text.range(of: "```sh\n"), let close = text.range(of: "\n```", range: open.upperBound..<text.endIndex) else { return nil }
        return String(text[open.upperBound..<close.lowerBound])
    }

    /// Inline code spans after the block that are `lembra` commands (the reader is invited to try them).
    static func inlineCommands(in text: String, after block: String) -> [String] {
        guard let end = text.range(of: block)?.upperBound, let fence = text.range(of: "```", range: end..<text.endIndex) else { return [] }
        let prose = text[fence.upperBound...].replacingOccurrences(of: "\n", with: " ")
        return prose.split(separator: "`", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset % 2 == 1 && $0.element.hasPrefix("lembra ") }.map { String($0.element) }
    }
}
