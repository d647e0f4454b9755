import Foundation
import LembraCore
import Mustache

/// Loads every template the ladders name, for every locale folder present, and reports missing
/// files, syntax errors and unknown variables as config problems with the template's line.
struct TemplateChecks {
    let directory: String
    let names: Set<String>
    let locale: MessageLocale
    let emailTemplates: Set<String>
    let sink: ProblemSink
    let cursor: YAMLCursor

    /// Names a template may use: the message context (see `MessageContext`).
    static let knownVariables: Set<String> = [
        "customer.id", "customer.name", "debts", "total", "count", "business.name", "business.document", "business.address",
        "business.reply_to", "segment", "step", "today",
        "id", "description", "amount", "amount_cents", "due_date", "days_overdue", "payment_link", "pix_code", ".",
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
                    if required { cursor.fail("template '\(name)' for \(l.rawValue) not found: \(file)") }
                    else { cursor.warn("template '\(name)' has no \(l.rawValue) version (\(file)); \(locale.rawValue) is used instead") }
                    continue
                }
                if let t = check(text, file: file, isEmail: emailTemplates.contains(name)) { set.templates["\(l.rawValue)/\(name)"] = t }
            }
        }
        return set
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
            if !tag.name.isEmpty && !TemplateChecks.knownVariables.contains(tag.name) {
                problems.add(line: tag.line, column: tag.column, "unknown variable '\(tag.name)'")
            }
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
            problems.add(line: e.context.lineNumber, column: e.context.columnNumber, "template syntax: \(e.error)")
        } catch {
            problems.add(nil, "template syntax: \(error)")
        }
        sink.merge(problems)
        return nil
    }

    /// The first tag the Mustache parser must not be given, and why:
    /// - a delimiter change (`{{=<% %>=}}`): the tags after it would be hidden from these checks;
    /// - sections nested deeper than `ConfigLimits.templateDepth`: the parser recurses once per
    ///   level (800 levels crashed `check-config`, and a reload with it the daemon);
    /// - a `{{#debts}}` inside another: the whole list again for every debt, so n^depth copies.
    static func structureProblem(_ tags: [TemplateTag]) -> (TemplateTag, String)? {
        var open: [TemplateTag] = []
        for tag in tags {
            if tag.sigil == "=" {
                return (tag, "changing the delimiters is not supported: the tags after it would escape the checks; keep {{ }}")
            }
            if tag.sigil == "/" {
                _ = open.popLast()
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
        return nil
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
