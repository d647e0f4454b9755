import Foundation
import LembraCore
@testable import LembraDaemon
import Mustache
import Testing
import TestSupport

/// Compiled templates against Mustache, which stays the oracle: the same text for every shipped
/// template and for thousands of random ones (whitespace, line breaks and tags alone on their
/// lines, where Mustache's parser has its quirks), on random facts; and Mustache still renders
/// what the compiler leaves to it.
@Suite struct CompiledTemplateTests {
    /// Facts for `count` random messages (some don't compose: a missing template is no matter
    /// here, an amount overflow is skipped), and one without debts, which a message never is but
    /// which takes the `{{^debts}}` branch that renders.
    static func facts(_ count: Int, seed: UInt64) throws -> [MessageFacts] {
        let dir = try TemporaryDirectory("lembra-compiled")
        let base = try ComposeOracleTests.config(in: dir)
        let none = PlannedMessage(kind: .reminder, customerID: "c0", segment: "forgetful", channel: "email", template: "friendly",
                                  handoff: false, items: [], superseded: [])
        let empty = try MessageFacts(none, customer: Customer(id: "c0", name: "Ana"), config: base, locale: .ptBR,
                                     today: CalendarDate(year: 2026, month: 11, day: 18)!, now: ComposeOracleTests.now)
        var rng = SeededGenerator(seed: seed)
        return try [empty] + (0..<count).compactMap { i in
            let config = try ComposeOracleTests.variant(base, &rng)
            let (message, customer) = ComposeOracleTests.randomCase(i, &rng)
            let today = CalendarDate(ComposeOracleTests.now, in: config.policy.timeZone(for: customer))
            return try? MessageFacts(message, customer: customer, config: config, locale: customer.locale ?? config.locale, today: today,
                                     now: ComposeOracleTests.now)
        }
    }

    /// Whether the compiler took `text`; if it did, each render is expected to equal Mustache's
    /// (the first difference is reported, the others would only repeat it).
    static func expectSameAsMustache(_ text: String, _ facts: [MessageFacts], sourceLocation: SourceLocation = #_sourceLocation) throws -> Bool {
        let mustache = try TemplateSet.parse(text)
        guard let compiled = TemplateCompiler.compile(text) else { return false }
        for (i, f) in facts.enumerated() {
            let expected = mustache.render(MessageContext.Scope(.root(f)))
            let got = compiled.render(f)
            #expect(got == expected, "facts \(i), template \(text.debugDescription)\ngot:      \(got.debugDescription)\nexpected: \(expected.debugDescription)",
                    sourceLocation: sourceLocation)
            if got != expected { break }
        }
        return true
    }

    @Test func everyShippedTemplateIsCompiledAndRendersAsMustache() throws {
        let root = RepositoryPaths.root.appendingPathComponent("config/templates")
        var files: [URL] = []
        for locale in try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() {
            let folder = root.appendingPathComponent(locale)
            files += try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".mustache") }.map { folder.appendingPathComponent($0) }
        }
        #expect(files.count >= 16)
        let facts = try Self.facts(200, seed: 0xC0DE)
        #expect(facts.count > 150)
        for file in files {
            #expect(try Self.expectSameAsMustache(String(contentsOf: file, encoding: .utf8), facts), "not compiled: \(file.path)")
        }
        // The loaded config renders through them.
        let dir = try TemporaryDirectory("lembra-compiled")
        let templates = try ComposeOracleTests.config(in: dir).templates
        #expect(!templates.templates.isEmpty && templates.compiled.count == templates.templates.count)
    }

    /// Pieces that random templates are made of: text with the characters the parser treats
    /// apart, and every kind of tag with and without spaces inside.
    static let texts = ["Olá", " ", "  ", "\t", "\n", "\n", "\r\n", "{", "}", "x", "é", "\u{2028}", " \n", "\t\n", "{ {", "}}", "a.b"]
    static let names = ["customer.name", "customer.id", "business.name", "business.reply_to", "amount", "due_date", "description",
                        "payment_link", "pix_code", "promise_link", "late_fees", "count", "total", "id", "name", ".", "late_fee_fine",
                        "segment", "nope", "customer.nope", "amount_due_today_cents", "days_overdue"]
    static let sections = ["debts", "debts", "pix_code", "description", "late_fees", "customer", "business", "payment_link",
                           "business.reply_to", ".", "count", "promise_link", "nope"]

    static func randomTemplate(_ rng: inout SeededGenerator, depth: Int = 0) -> String {
        func pick<T>(_ xs: [T]) -> T { ComposeOracleTests.pick(xs, &rng) }
        var out = ""
        for _ in 0..<Int(rng.next() % 7) {
            let space = pick(["", "", " "])
            switch rng.next() % 10 {
            case 0, 1, 2: out += pick(texts)
            case 3, 4: out += "{{\(space)\(pick(names))\(space)}}"
            case 5: out += pick(["{{{\(pick(names))}}}", "{{&\(space)\(pick(names))}}", "{{! a comment }}", "{{!\n}}"])
            default:
                guard depth < 3 else { out += pick(texts); continue }
                let name = pick(sections), sigil = pick(["#", "#", "^"])
                let before = pick(["", "\n", "  ", "\n  ", " x "]), after = pick(["", "\n", " \n", "\r\n", "x"])
                out += "\(before){{\(sigil)\(name)}}\(after)\(randomTemplate(&rng, depth: depth + 1))\(pick(["", "\n", "  "])){{/\(name)}}\(pick(["", "\n", "  \n", "y"]))"
            }
        }
        return out
    }

    @Test func randomTemplatesRenderAsMustache() throws {
        let facts = try Self.facts(12, seed: 0xFACE)
        var rng = SeededGenerator(seed: 0x5EED)
        var compiled = 0, parsed = 0
        for _ in 0..<3_000 {
            let text = Self.randomTemplate(&rng)
            guard (try? TemplateSet.parse(text)) != nil else { continue }
            parsed += 1
            if try Self.expectSameAsMustache(text, facts) { compiled += 1 }
        }
        // Most of them are taken, so the comparison covers the compiler, not just its refusals.
        #expect(parsed > 2_000 && compiled * 10 > parsed * 7, "parsed \(parsed), compiled \(compiled)")
    }

    @Test func leavesToMustacheWhatItWouldRenderOtherwise() throws {
        for text in ["{{debts}}", "{{customer}}", "{{.}}", "{{#debts}}{{.}}{{/debts}}", "{{^debts}}{{.}}{{/debts}}", "{{.customer}}",
                     "{{> partial}}", "{{=<% %>=}}", "{{%CONTENT_TYPE: HTML}}{{customer.name}}", "{{$block}}x{{/block}}", "{{<parent}}{{/parent}}"] {
            #expect(TemplateCompiler.compile(text) == nil, "\(text)")
        }
        // The same text where it is one: the current object inside a section over a text.
        let facts = try Self.facts(40, seed: 0xBEEF)
        for text in ["{{#pix_code}}[{{.}}]{{/pix_code}}", "{{#debts}}{{#description}}{{.}}{{#late_fees}}{{.}}{{/late_fees}}{{/description}}{{/debts}}"] {
            #expect(try Self.expectSameAsMustache(text, facts), "\(text)")
        }
    }

    /// What Mustache renders for a template the compiler leaves to it, through `TemplateSet`.
    @Test func aTemplateLeftToMustacheStillRenders() throws {
        let facts = try Self.facts(5, seed: 0xABC)
        var set = TemplateSet(fallback: .ptBR)
        let text = "{{#debts}}{{.description}}{{/debts}}|{{customer.name}}"
        set.add(try TemplateSet.parse(text), text: text, as: "pt-BR/t")
        #expect(set.compiled.isEmpty)
        for f in facts {
            #expect(set.render("t", locale: .en, context: f) == (try TemplateSet.parse(text)).render(MessageContext.Scope(.root(f))))
            #expect(set.render("t", locale: .en, context: f)?.hasSuffix("|" + f.customer.name) == true)
        }
    }
}
