import Foundation
@testable import LembraDaemon
import Testing

/// What `check-config` refuses in a template before the Mustache parser sees it, and the tag
/// scan those checks read.
struct TemplateChecksTests {
    static let config = [ConfigFixture.business, ConfigFixture.outbox, ConfigFixture.ladders].joined(separator: "\n")

    /// The problems of the config with `template` as its (e-mail) template `friendly`, as
    /// `LINE:COL: message` (all of them are in the template file).
    func problems(_ template: String) throws -> [String] {
        let f = try ConfigFixture()
        try f.dir.write("templates/pt-BR/friendly.mustache", template)
        return f.problems(Self.config)
    }

    static func nested(_ depth: Int, _ name: String = "customer.name") -> String {
        String(repeating: "{{#\(name)}}", count: depth) + "x" + String(repeating: "{{/\(name)}}", count: depth)
    }

    @Test func tagsAreFoundWithTheirLineColumnAndSigil() {
        let tags = TemplateTag.scan("Olá {{customer.name}}\r\n{{{total}}} {{# debts }}{{!\nnote}}{{/debts}}")
        #expect(tags == [
            TemplateTag(line: 1, column: 5, endLine: 1, sigil: nil, name: "customer.name"),
            TemplateTag(line: 2, column: 1, endLine: 2, sigil: "{", name: "total"),
            TemplateTag(line: 2, column: 13, endLine: 2, sigil: "#", name: "debts"),
            TemplateTag(line: 2, column: 25, endLine: 3, sigil: "!", name: "note"),
            TemplateTag(line: 3, column: 7, endLine: 3, sigil: "/", name: "debts"),
        ])
        #expect(TemplateTag.scan("a {{b").isEmpty, "an unclosed tag is the parser's to report")
    }

    /// 800 levels crashed the parser (and `check-config`, and a reload the daemon); the limit
    /// stops far below the ~550 that exhaust an 8 MB stack.
    @Test func sectionsNestedPastTheLimitAreRefusedBeforeParsing() throws {
        #expect(try problems("Subject: Oi\n\n\(Self.nested(16))\n").isEmpty)
        #expect(try problems("Subject: Oi\n\n\(Self.nested(17))\n") == ["3:289: sections nested more than 16 deep"])
        #expect(try problems("Subject: Oi\n\n\(Self.nested(800))\n") == ["3:289: sections nested more than 16 deep"])
    }

    @Test func aListInsideItselfIsRefused() throws {
        #expect(try problems("Subject: Oi\n\n{{#debts}}{{id}}{{^debts}}-{{/debts}}{{/debts}}\n").isEmpty, "an inverted one renders nothing")
        #expect(try problems("Subject: Oi\n\n{{#debts}}\n{{#payment_link}}{{#debts}}{{id}}{{/debts}}{{/payment_link}}\n{{/debts}}\n") == [
            "4:18: a {{#debts}} section inside another repeats every debt once per debt; close the first one before",
        ])
    }

    /// Variables behind changed delimiters were never checked; the change itself is refused.
    @Test func changedDelimitersAreRefused() throws {
        #expect(try problems("Subject: Oi\n\n{{=<% %>=}}\n<%customer.nome%>\n") == [
            "3:1: changing the delimiters is not supported: the tags after it would escape the checks; keep {{ }}",
        ])
    }

    /// A tag spanning lines was skipped by the line-by-line scan, so its variable went unchecked.
    @Test func aVariableInATagSpanningLinesIsChecked() throws {
        #expect(try problems("Subject: Oi\n\n{{#\ncustomer.nome\n}}x{{/customer.nome}}\n") == ["3:1: unknown variable 'customer.nome'"])
    }

    /// A subject is one line: a section or tag of the Subject line that ends on a later one made
    /// the subject several lines, and every such e-mail failed at sending.
    @Test(arguments: [
        ("Subject: Oi {{#debts}}{{id}}\n{{/debts}}\n\nCorpo\n",
         "1:13: the section opened here on the Subject line must close on it; a subject is one line"),
        ("Subject: Oi {{^debts}}x{{/debts}} {{#debts}}{{id}}\n\n{{/debts}}Corpo\n",
         "1:35: the section opened here on the Subject line must close on it; a subject is one line"),
        ("Subject: Oi {{! a\ncomment }}\n\nCorpo\n", "1:13: this tag goes past the Subject line; a subject is one line"),
        ("Subject: Oi\nmais\n\nCorpo\n", "2:1: an e-mail template starts with a 'Subject: ...' line, then a blank line, then the body"),
        ("Oi\n\nCorpo\n", "1:1: an e-mail template starts with a 'Subject: ...' line, then a blank line, then the body"),
    ])
    func aSubjectSpanningLinesIsRefused(template: String, problem: String) throws {
        #expect(try problems(template) == [problem])
    }

    @Test func aOneLineSubjectWithSectionsIsAccepted() throws {
        #expect(try problems("Subject: Oi {{#debts}}{{id}} {{/debts}}\n\nCorpo\n").isEmpty)
        #expect(try problems("Subject: Oi\r\n\r\nCorpo\r\n").isEmpty, "CRLF line ends")
    }
}
