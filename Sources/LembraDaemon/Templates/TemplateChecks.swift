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

    func check(_ text: String, file: String, isEmail: Bool) -> MustacheTemplate? {
        let problems = ProblemSink(file: file)
        if isEmail && !(text.hasPrefix("Subject: ") && text.contains("\n\n")) {
            problems.add(nil, "an e-mail template starts with a 'Subject: ...' line, then a blank line, then the body")
        }
        for (line, name) in TemplateChecks.variables(in: text) where !TemplateChecks.knownVariables.contains(name) {
            problems.add(line: line, "unknown variable '\(name)'")
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

    /// `(line, name)` of every variable and section tag; partials, comments and closers skipped.
    static func variables(in text: String) -> [(Int, String)] {
        var result: [(Int, String)] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var rest = Substring(line)
            while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
                var tag = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                rest = rest[close.upperBound...]
                if tag.hasPrefix("{") { tag = String(tag.dropFirst()) }
                if let first = tag.first, "!/>%=<$".contains(first) { continue }
                if let first = tag.first, "#^&".contains(first) { tag = String(tag.dropFirst()).trimmingCharacters(in: .whitespaces) }
                tag = tag.trimmingCharacters(in: CharacterSet(charactersIn: "{} "))
                if !tag.isEmpty { result.append((i + 1, tag)) }
            }
        }
        return result
    }
}
