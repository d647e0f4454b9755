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

    /// A variable that would print a whole object (the debt list, the message, a debt) is refused:
    /// Mustache would write out the Swift value, the customer's data and all.
    @Test func aVariableThatWouldPrintAWholeObjectIsRefused() throws {
        #expect(try problems("Subject: Oi\n\nDívidas: {{debts}}\n") == [
            "3:10: {{debts}} would print the whole list; repeat what each debt needs with {{#debts}}...{{/debts}}",
        ])
        let dot = "{{.}} would print a whole object here, with the customer's data; name the value instead "
            + "(it prints a value only inside a section over one, as in {{#pix_code}}{{.}}{{/pix_code}})"
        #expect(try problems("Subject: Oi\n\n{{.}}\n") == ["3:1: " + dot])
        #expect(try problems("Subject: Oi\n\n{{#debts}}{{.}}{{/debts}}\n") == ["3:11: " + dot])
        #expect(try problems("Subject: Oi\n\n{{#pix_code}}{{#late_fees}}{{.}}{{/late_fees}}{{/pix_code}}\n").isEmpty)
        #expect(try problems("Subject: Oi\n\n{{#debts}}{{#pix_code}}Pix: {{.}}{{/pix_code}}{{/debts}}\n").isEmpty)
    }

    /// Variables behind changed delimiters were never checked; the change itself is refused.
    @Test func changedDelimitersAreRefused() throws {
        #expect(try problems("Subject: Oi\n\n{{=<% %>=}}\n<%customer.nome%>\n") == [
            "3:1: changing the delimiters is not supported: the tags after it would escape the checks; keep {{ }}",
        ])
    }

    /// A tag spanning lines was skipped by the line-by-line scan, so its variable went unchecked.
    @Test func aVariableInATagSpanningLinesIsChecked() throws {
        #expect(try problems("Subject: Oi\n\n{{#\ncustomer.nome\n}}x{{/customer.nome}}\n") == [
            "3:1: unknown variable 'customer.nome'; did you mean customer.name?",
        ])
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

    /// The parser said only `template syntax: sectionCloseNameIncorrect`, where it stopped
    /// reading; the tag scan says which section, closed by what, at the closing tag.
    @Test(arguments: [
        ("Subject: Oi\n\n{{#debts}}\n{{#pix_code}}x{{/payment_link}}\n{{/debts}}\n",
         "4:15: the section {{#pix_code}} is closed by {{/payment_link}}; close it with {{/pix_code}} (it opens at line 4, column 1)"),
        ("Subject: Oi\n\nOlá {{^debts}}nada{{/debt}}\n",
         "3:19: the section {{^debts}} is closed by {{/debt}}; close it with {{/debts}} (it opens at line 3, column 5)"),
        ("Subject: Oi\n\nOlá {{#debts}}{{id}}\n", "3:5: the section {{#debts}} is never closed: add {{/debts}} where it ends"),
        ("Subject: Oi\r\n\r\n{{#debts}}{{#pix_code}}{{pix_code}}{{/pix_code}}\r\n",
         "3:1: the section {{#debts}} is never closed: add {{/debts}} where it ends"),
        ("Subject: Oi\n\nOlá {{/debts}}\n", "3:5: {{/debts}} closes a section that is not open"),
        ("Subject: Oi\n\nOlá {{customer.name}}, {{total\nfim\n", "3:24: this {{ is never closed by }}"),
        ("Subject: Oi\r\n\r\nOlá {{customer.name}}\r\n  {{total\r\n", "4:3: this {{ is never closed by }}"),
        ("Subject: Oi\n\nOlá {{customer.name} e {{#debts}}{{id}}{{/debts}}\n", "3:5: this {{ is not closed by }} before the next {{"),
    ])
    func sectionAndTagMistakesAreSaidInPlainWordsAtTheTag(template: String, problem: String) throws {
        #expect(try problems(template) == [problem])
    }

    /// What the parser still reports itself is said in plain words, on the template's own line
    /// and column (the parser reads the text after a header on line 1).
    @Test func theParsersOwnErrorsAreInPlainWords() throws {
        #expect(try problems("Subject: Oi\n\nOlá {{% FOO: bar }}\n") == ["3:5: a {{%…}} setting is not supported"])
    }

    /// An unknown variable: the closest known names (a typo, a translation, a case), or every one.
    @Test(arguments: [
        ("{{customer.nome}}", "unknown variable 'customer.nome'; did you mean customer.name?"),
        ("{{nome}}", "unknown variable 'nome'; did you mean business.name or customer.name?"),
        ("{{Total}}", "unknown variable 'Total'; did you mean total?"),
        ("{{#debts}}{{vencimento}}{{/debts}}", "unknown variable 'vencimento'; the variables are amount, amount_cents, "),
    ])
    func anUnknownVariableListsTheClosestOrAllKnownOnes(tag: String, problem: String) throws {
        let found = try problems("Subject: Oi\n\nOlá \(tag)\n")
        #expect(found.count == 1 && found[0].hasPrefix("3:") && found[0].contains(problem), "\(found)")
        if problem.hasSuffix(", ") {
            #expect(found[0].contains("customer.name") && found[0].contains("due_date") && found[0].contains("total_due_today") && !found[0].contains(", ."), "\(found)")
        }
    }

    /// A missing template file is reported at the ladder step that names it, with the file's path.
    @Test func aMissingTemplateIsReportedAtTheStepThatNamesIt() throws {
        let f = try ConfigFixture()
        let problems = f.problems([ConfigFixture.business, ConfigFixture.outbox, """
            ladders:
              upcoming: []
              forgetful: [ { at: 1d, channel: email, template: friendly } ]
              chronic:
                - { at: 1d, channel: email, template: friendly }
                - { at: 3d, channel: email, template: chronic-9 }
            on_paid: [ { channel: email, template: chronic-9 } ]
            """].joined(separator: "\n"))
        let file = f.dir.path("templates/pt-BR/chronic-9.mustache").path
        #expect(problems == ["12:43: ladders.chronic[1].template: no file \(file)", "13:40: on_paid[0].template: no file \(file)"],
                "\(problems)")
    }
}
