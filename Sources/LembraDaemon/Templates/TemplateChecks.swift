import Foundation
import LembraCore
import Mustache

/// Loads every template the ladders name, for every locale folder present, and reports missing
/// files, syntax errors and unknown variables as config problems in plain words, at the line and
/// column of the tag (or of the ladder step that names a missing file).
struct TemplateChecks {
    let directory: String
    let names: Set<String>
    let locale: MessageLocale
    let emailTemplates: Set<String>
    let sink: ProblemSink
    let cursor: YAMLCursor
    /// The `template:` values of the steps written in the config, by template name: a missing
    /// file is reported there. A name without one comes from the built-in default ladders.
    var references: [String: [YAMLCursor]] = [:]

    /// Names a template may use: the message context (see `MessageContext`).
    static let knownVariables: Set<String> = [
        "customer.id", "customer.name", "debts", "total", "count", "business.name", "business.document", "business.address",
        "business.reply_to", "segment", "step", "today",
        "id", "description", "amount", "amount_cents", "due_date", "days_overdue", "payment_link", "pix_code", "promise_link", ".",
        "total_due_today", "late_fees", "amount_due_today", "amount_due_today_cents", "late_fee_fine", "late_fee_interest",
    ]

    func load() -> TemplateSet {
        var set = TemplateSet(fallback: locale)
        for l in MessageLocale.allCases {
            let folder = URL(fileURLWithPath: directory).appendingPathComponent(l.rawValue)
            let required = l == locale
            guard required || FileManager.default.fileExists(atPath: folder.path) else { continue }
            for name in names.sorted() {
                let file = folder.appendingPathComponent("\(name).mustache").path
                guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                    if required { missing(name, file: file) }
                    else { cursor.warn("template '\(name)' has no \(l.rawValue) version (\(file)); \(locale.rawValue) is used instead") }
                    continue
                }
                if let t = check(text, file: file, isEmail: emailTemplates.contains(name)) { set.add(t, text: text, as: "\(l.rawValue)/\(name)") }
            }
        }
        return set
    }

    /// Reports a missing template file at each step that names it.
    func missing(_ name: String, file: String) {
        guard let steps = references[name], !steps.isEmpty else {
            cursor.fail("no file \(file), for template '\(name)' of the built-in default ladders")
            return
        }
        for step in steps { step.fail("no file \(file)") }
    }

    /// Checks one template and parses it. A delimiter change, a nesting too deep or a list inside
    /// itself (`structureProblem`) stops before the Mustache parser sees the text.
    func check(_ text: String, file: String, isEmail: Bool) -> MustacheTemplate? {
        let problems = ProblemSink(file: file)
        let tags = TemplateTag.scan(text)
        if isEmail, let (line, column, message) = TemplateChecks.subjectProblem(text, tags) {
            problems.add(line: line, column: column, message)
        }
        for tag in tags where tag.sigil.map({ "#^&{".contains($0) }) ?? true {
            if !tag.name.isEmpty && !tag.runsIntoNext && !TemplateChecks.knownVariables.contains(tag.name) {
                problems.add(line: tag.line, column: tag.column, TemplateChecks.unknownVariable(tag.name))
            }
        }
        for (tag, message) in TemplateChecks.objectVariables(tags) {
            problems.add(line: tag.line, column: tag.column, message)
        }
        if let (line, column) = TemplateTag.unclosedOpening(in: text) {
            problems.add(line: line, column: column, "this {{ is never closed by }}")
            sink.merge(problems)
            return nil
        }
        if let (tag, message) = TemplateChecks.structureProblem(tags) {
            problems.add(line: tag.line, column: tag.column, message)
            sink.merge(problems)
            return nil
        }
        do {
            let template = try TemplateSet.parse(text)
            sink.merge(problems)
            return template
        } catch let e as MustacheTemplate.ParserError {
            // The parser read the text after `TemplateSet.header`, which shifts the first line,
            // and says where it stopped: the tag it was reading starts at or before that.
            let stop = (e.context.lineNumber, e.context.columnNumber - (e.context.lineNumber == 1 ? TemplateSet.header.count : 0))
            let at = tags.last { ($0.line, $0.column) <= stop }.map { ($0.line, $0.column) } ?? stop
            problems.add(line: at.0, column: max(at.1, 1), TemplateChecks.plainWords(e.error))
        } catch {
            problems.add(nil, TemplateChecks.plainWords(error))
        }
        sink.merge(problems)
        return nil
    }

    /// The first tag the Mustache parser must not be given, and why:
    /// - a section closed by another name, a close without an opening, a section never closed:
    ///   found here at the tag itself (the parser says only `sectionCloseNameIncorrect`, where it
    ///   stopped reading);
    /// - a delimiter change (`{{=<% %>=}}`): the tags after it would be hidden from these checks;
    /// - sections nested deeper than `ConfigLimits.templateDepth`: the parser recurses once per
    ///   level (800 levels crashed `check-config`, and a reload with it the daemon);
    /// - a `{{#debts}}` inside another: the whole list again for every debt, so n^depth copies.
    static func structureProblem(_ tags: [TemplateTag]) -> (TemplateTag, String)? {
        var open: [TemplateTag] = []
        for tag in tags {
            if tag.runsIntoNext { return (tag, "this {{ is not closed by }} before the next {{") }
            if tag.sigil == "=" {
                return (tag, "changing the delimiters is not supported: the tags after it would escape the checks; keep {{ }}")
            }
            if tag.sigil == "/" {
                guard let opened = open.popLast() else { return (tag, "{{/\(tag.name)}} closes a section that is not open") }
                if opened.name != tag.name {
                    return (tag, "the section \(opened.text) is closed by {{/\(tag.name)}}; close it with {{/\(opened.name)}} "
                                 + "(it opens at line \(opened.line), column \(opened.column))")
                }
            } else if tag.opensSection {
                if tag.sigil == "#", tag.name == "debts", open.contains(where: { $0.sigil == "#" && $0.name == "debts" }) {
                    return (tag, "a {{#debts}} section inside another repeats every debt once per debt; close the first one before")
                }
                open.append(tag)
                if open.count > ConfigLimits.templateDepth {
                    return (tag, "sections nested more than \(ConfigLimits.templateDepth) deep")
                }
            }
        }
        if let unclosed = open.last {
            return (unclosed, "the section \(unclosed.text) is never closed: add {{/\(unclosed.name)}} where it ends")
        }
        return nil
    }

    /// What to say of a variable the message context does not have: the known names closest to
    /// it, whole or by their last part (a typo, a case, a translation: `customer.nome`, `nome`),
    /// or else every known name.
    /// Variables that would print a whole object instead of a value: `{{debts}}`, and `{{.}}`
    /// anywhere but in a section over a value (`{{#pix_code}}{{.}}{{/pix_code}}`). Mustache
    /// writes out the Swift value there, the customer's data and all.
    static func objectVariables(_ tags: [TemplateTag]) -> [(TemplateTag, String)] {
        var open: [TemplateTag] = []
        var found: [(TemplateTag, String)] = []
        for tag in tags {
            switch tag.sigil {
            case "#", "^": open.append(tag)
            case "/": _ = open.popLast()
            case nil, "&", "{":
                if tag.name == "debts" {
                    found.append((tag, "{{debts}} would print the whole list; repeat what each debt needs with {{#debts}}...{{/debts}}"))
                } else if tag.name == ".", !isInsideAValue(open) {
                    found.append((tag, "{{.}} would print a whole object here, with the customer's data; name the value instead "
                                       + "(it prints a value only inside a section over one, as in {{#pix_code}}{{.}}{{/pix_code}})"))
                }
            default: break
            }
        }
        return found
    }

    /// Whether the innermost section that changes the current object (`#`, not over the Bool
    /// `late_fees`, which changes nothing) is over a single value, whose `{{.}}` is that value.
    private static func isInsideAValue(_ open: [TemplateTag]) -> Bool {
        guard let scope = open.last(where: { $0.sigil == "#" && $0.name != "late_fees" }),
              let key = scope.name.split(separator: ".").last.flatMap({ TemplateKey(rawValue: String($0)) }) else { return false }
        return key.kind == .text
    }

    static func unknownVariable(_ name: String) -> String {
        let known = knownVariables.subtracting(["."]).sorted()
        let written = name.lowercased()
        let distances = known.map { candidate in
            (candidate, min(distance(written, candidate), distance(written, String(candidate.split(separator: ".").last ?? ""))))
        }
        let best = distances.map(\.1).min() ?? .max
        if best <= max(2, name.count / 3) {
            return "unknown variable '\(name)'; did you mean \(distances.filter { $0.1 == best }.map(\.0).joined(separator: " or "))?"
        }
        return "unknown variable '\(name)'; the variables are \(known.joined(separator: ", "))"
    }

    /// Levenshtein distance over characters: how many to insert, delete or replace.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var diagonal = row[0]
            row[0] = i
            for j in 1...b.count {
                let above = row[j]
                row[j] = min(diagonal + (a[i - 1] == b[j - 1] ? 0 : 1), above + 1, row[j - 1] + 1)
                diagonal = above
            }
        }
        return row[b.count]
    }

    /// The parser's errors in plain words. Those these checks look for first (sections, delimiters)
    /// rarely reach it.
    static func plainWords(_ error: any Error) -> String {
        switch error as? MustacheTemplate.Error {
        case .sectionCloseNameIncorrect?: "a section is closed by another name than the one that opened it"
        case .unfinishedName?: "a tag is not finished: write it like {{customer.name}}"
        case .expectedSectionEnd?: "a section is never closed"
        case .invalidSetDelimiter?: "changing the delimiters is not supported; keep {{ }}"
        case .transformAppliedToInheritanceSection?, .illegalTokenInsideInheritSection?, .textInsideInheritSection?:
            "template inheritance ({{<…}} with {{$…}} blocks) is not supported"
        case .invalidConfigVariableSyntax?, .unrecognisedConfigVariable?: "a {{%…}} setting is not supported"
        case nil: "the template can't be read: \(error)"
        }
    }

    /// Why an e-mail template's subject could be more than its first line, if it could: the
    /// template is `Subject: …`, then a blank line, then the body, and a tag on the subject line
    /// that ends on a later line, or a section it opens and leaves open, would make the subject
    /// several lines, which no message can carry (every such e-mail would fail).
    static func subjectProblem(_ text: String, _ tags: [TemplateTag]) -> (line: Int, column: Int, String)? {
        let format = "an e-mail template starts with a 'Subject: ...' line, then a blank line, then the body"
        guard text.hasPrefix("Subject: ") else { return (1, 1, format) }
        var open: [TemplateTag] = []
        for tag in tags where tag.line == 1 {
            if tag.endLine > 1 { return (tag.line, tag.column, "this tag goes past the Subject line; a subject is one line") }
            if tag.sigil == "/" { _ = open.popLast() } else if tag.opensSection { open.append(tag) }
        }
        if let tag = open.first {
            return (tag.line, tag.column, "the section opened here on the Subject line must close on it; a subject is one line")
        }
        let lines = text.utf8.split(separator: UInt8(ascii: "\n"), maxSplits: 2, omittingEmptySubsequences: false)
        guard lines.count == 3, lines[1].allSatisfy({ $0 == UInt8(ascii: "\r") }) else { return (2, 1, format) }
        return nil
    }
}
