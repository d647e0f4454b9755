import Foundation
@testable import LembraDaemon
import Testing
import TestSupport


/// Thousands of mutated configs and templates from fixed seeds through `ConfigLoader.load` and
/// `TemplateSet.parse`: no crash, no hang, and every rejection carries FILE:LINE:COL inside the file.
@Suite(.serialized) struct FuzzTests {
    static let config = """
        database: /tmp/lembra-fuzz-never-opened.sqlite
        tick: 5m
        timezone: America/Sao_Paulo
        locale: pt-BR
        business:
          name: Oficina Teste Ltda
          document: 11.222.333/0001-81
          address: Rua Teste, 1
        window: { weekdays: "08:00-20:00", saturday: "08:00-14:00", sunday: closed, holidays: [br-national] }
        limits: { min_gap: 48h, per_customer_per_week: 3 }
        segments:
          - { name: chronic, any: ["late_payments_12m >= 3", "days_overdue > 30"] }
          - { name: forgetful, all: ["days_overdue <= 5"] }
          - { name: short_delay }
        ladders:
          upcoming: []
          forgetful: [ { at: 1d, channel: email, template: friendly }, { at: 4d, channel: email, template: friendly, repeat: 7d } ]
          short_delay: [ { at: 6d, channel: email, template: friendly } ]
          chronic: [ { at: 1d, channel: email, template: friendly } ]
        on_paid: [ { channel: email, template: friendly } ]
        channels:
          email: { type: outbox, path: out, from: "Teste <a@b.com>" }
          mail2: { type: smtp, url: "smtp://127.0.0.1:2525", tls: none, from: "a@b.com", timeout: 30s }
        in_doubt: skip
        retry: { max_tries: 5, base_delay: 5m, max_delay: 6h }
        shutdown_timeout: 30s

        """

    /// Replacement values of every YAML shape, including an alias to nowhere and a huge number.
    static let values = ["", "~", "null", "[]", "{}", "[1, 2]", "{ a: b }", "-1", "0", "99999999999999999999999", "1.5", "yes",
                         "\"\\u0000\"", "'x'", "*nowhere", "&a x", "!!binary aGk=", "| \n  block", "\"unterminated", "[", "}",
                         "08:00-07:00", "-3d", "1000000d", "=cmd|' /C calc'!A0", "\u{FEFF}", "é", "\t"]

    static func mutate(_ text: String, _ rng: inout SeededGenerator) -> String {
        var lines = text.components(separatedBy: "\n")
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
            let i = Int.random(in: 0..<lines.count, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: // replace the value after a colon
                if let colon = lines[i].firstIndex(of: ":") {
                    lines[i] = String(lines[i][...colon]) + " " + values.randomElement(using: &rng)!
                }
            case 1: lines.remove(at: i); if lines.isEmpty { lines = [""] }
            case 2: lines.insert(lines.randomElement(using: &rng)!, at: i)
            case 3: lines[i] = String(repeating: " ", count: Int.random(in: 0...5, using: &rng)) + lines[i].trimmingCharacters(in: .whitespaces)
            case 4: // a random character somewhere
                var chars = Array(lines[i])
                let c = Character(Unicode.Scalar(UInt8.random(in: 0x20...0x7E, using: &rng)))
                chars.insert(c, at: Int.random(in: 0...chars.count, using: &rng))
                lines[i] = String(chars)
            default: lines[i] = String(lines[i].prefix(Int.random(in: 0...max(0, lines[i].count), using: &rng)))
            }
        }
        return lines.joined(separator: "\n")
    }

    static func checkLocated(_ error: ConfigError, path: String, lines: Int, _ label: String) {
        #expect(!error.problems.isEmpty, "\(label): rejected without a problem")
        for p in error.problems {
            #expect(!p.message.isEmpty, "\(label): \(p)")
            #expect(p.line >= 1 && p.column >= 1, "\(label): \(p)")
            if p.file == path { #expect(p.line <= lines + 1, "\(label): line \(p.line) past the end (\(lines) lines): \(p)") }
            else { #expect(p.file.hasSuffix(".mustache"), "\(label): a problem in an unexpected file: \(p)") }
            #expect(p.description.hasPrefix("\(p.file):\(p.line):\(p.column): "), "\(label): \(p)")
        }
    }

    @Test func mutatedConfigsLoadOrAreRejectedWithLocatedProblems() throws {
        let f = try ConfigFixture()
        var warnings: [ConfigProblem] = []
        _ = try f.load(Self.config, warnings: &warnings) // the seed itself is valid
        var rng = SeededGenerator(seed: 0x5EED_CF6)
        var rejected = 0
        let path = f.dir.path("lembra.yaml").path
        for n in 0..<1_200 {
            let text = Self.mutate(Self.config, &rng)
            do { _ = try f.load(text, warnings: &warnings) } catch {
                rejected += 1
                Self.checkLocated(error, path: path, lines: text.components(separatedBy: "\n").count, "config case \(n)")
            }
        }
        #expect(rejected > 300, "most mutations break something: \(rejected) of 1200 rejected")
    }

    static let template = """
        Subject: Lembrete de {{business.name}}

        Olá, {{customer.name}}.
        {{#debts}}
        - {{description}}: {{amount}}, venceu em {{due_date}} ({{days_overdue}} dias). {{payment_link}}
        {{/debts}}
        {{^debts}}nada{{/debts}}
        Total: {{total}} — {{business.document}}, {{business.address}} {{! a comment }}
        """

    static func mutateTemplate(_ text: String, _ rng: inout SeededGenerator) -> String {
        var chars = Array(text)
        let pieces = ["{{", "}}", "{{#", "{{/", "{{^", "{{>", "{{{", "}}}", "{{=<% %>=}}", "{{&", "{{!", "\n", "{{unknown.var}}", "\u{0}"]
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
            let at = Int.random(in: 0...chars.count, using: &rng)
            if Bool.random(using: &rng), at < chars.count {
                chars.removeSubrange(at..<min(chars.count, at + Int.random(in: 1...6, using: &rng)))
            } else {
                chars.insert(contentsOf: pieces.randomElement(using: &rng)!, at: at)
            }
        }
        return String(chars)
    }

    @Test func mutatedTemplatesParseOrFailWithoutCrashing() {
        var rng = SeededGenerator(seed: 0x7E3A)
        var failed = 0
        for _ in 0..<3_000 {
            do { _ = try TemplateSet.parse(Self.mutateTemplate(Self.template, &rng)) } catch { failed += 1 }
        }
        #expect(failed > 0)
    }

    @Test func mutatedTemplateFilesAreRejectedWithTheirFileAndLine() throws {
        let f = try ConfigFixture()
        var rng = SeededGenerator(seed: 0xBAD7)
        var rejected = 0
        let file = f.dir.path("templates/pt-BR/friendly.mustache").path
        for n in 0..<300 {
            let text = Self.mutateTemplate(Self.template, &rng)
            _ = try f.dir.write("templates/pt-BR/friendly.mustache", text)
            do {
                var warnings: [ConfigProblem] = []
                _ = try f.load(Self.config, warnings: &warnings)
            } catch {
                rejected += 1
                Self.checkLocated(error, path: f.dir.path("lembra.yaml").path, lines: 0, "template case \(n)")
                #expect(error.problems.contains { $0.file == file }, "template case \(n): \(error)")
                for p in error.problems where p.file == file {
                    #expect(p.line <= text.components(separatedBy: "\n").count + 1, "template case \(n): \(p)")
                }
            }
        }
        #expect(rejected > 50)
    }
}
