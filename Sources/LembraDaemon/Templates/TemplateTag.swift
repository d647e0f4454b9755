import Foundation

/// One `{{…}}` tag of a template, found by a flat scan rather than the Mustache parser: the
/// parser recurses once per nested section (a template nested 800 deep crashed it), so the
/// checks that keep such a template from it must not need it.
struct TemplateTag: Equatable {
    /// Line (1-based) and column (in characters, 1-based) of the tag's `{{`.
    var line: Int
    var column: Int
    /// Line of the tag's closing `}}`: later than `line` when the tag spans lines.
    var endLine: Int
    /// The tag's type: `#` `^` `/` `!` `>` `=` `&` `{` `$` `<` `%`, or nil for a variable.
    var sigil: Character?
    /// What follows the sigil (right after the `{{`, as the parser reads it), trimmed of spaces
    /// and of the braces of a `{{{name}}}`.
    var name: String

    static let sigils: Set<Character> = ["#", "^", "/", "!", ">", "=", "&", "{", "$", "<", "%"]

    /// Every tag of `text`, in order, with Mustache's default `{{ }}` delimiters (a template that
    /// changes them is refused, so these are the only ones). An unclosed `{{` ends the scan:
    /// the parser reports it.
    static func scan(_ text: String) -> [TemplateTag] {
        var tags: [TemplateTag] = []
        var line = 1
        var lineStart = text.startIndex
        var position = text.startIndex
        /// Moves `position` to `index`, counting the line breaks passed.
        func advance(to index: String.Index) {
            var i = position
            while i < index {
                if text.utf8[i] == UInt8(ascii: "\n") { line += 1; lineStart = text.utf8.index(after: i) }
                i = text.utf8.index(after: i)
            }
            position = index
        }
        while let open = text[position...].range(of: "{{") {
            advance(to: open.lowerBound)
            let (startLine, column) = (line, text.distance(from: lineStart, to: open.lowerBound) + 1)
            guard let close = text[open.upperBound...].range(of: "}}") else { break }
            var body = Substring(text[open.upperBound..<close.lowerBound])
            var end = close.upperBound
            if body.first == "{", text[end...].first == "}" { end = text.index(after: end) }
            advance(to: end)
            let sigil = body.first.flatMap { sigils.contains($0) ? $0 : nil }
            if sigil != nil { body = body.dropFirst() }
            let name = body.trimmingCharacters(in: CharacterSet(charactersIn: " \t\n\r{}"))
            tags.append(TemplateTag(line: startLine, column: column, endLine: line, sigil: sigil, name: name))
        }
        return tags
    }

    /// The line and column of the first `{{` that no `}}` closes, where `scan` stopped.
    static func unclosedOpening(in text: String) -> (line: Int, column: Int)? {
        let from = text.range(of: "}}", options: .backwards)?.upperBound ?? text.startIndex
        guard let open = text.range(of: "{{", range: from..<text.endIndex) else { return nil }
        // By bytes, as `scan` counts lines: "\r\n" is one Character, which a search for "\n" misses.
        let before = text.utf8[..<open.lowerBound]
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { text.utf8.index(after: $0) } ?? text.startIndex
        return (before.count { $0 == UInt8(ascii: "\n") } + 1, text.distance(from: lineStart, to: open.lowerBound) + 1)
    }

    /// Whether the tag swallowed the next one (`{{customer.name} e {{#debts}}`): a `}}` is
    /// missing, and its name is no name.
    var runsIntoNext: Bool { name.contains("{{") }

    /// The tag as written, without spaces: `{{#pix_code}}`.
    var text: String { "{{\(sigil.map(String.init) ?? "")\(name)}}" }

    /// Whether the tag opens a section that a `{{/name}}` closes (`#`, `^`, and the
    /// inheritance tags `$` and `<`).
    var opensSection: Bool { sigil.map { "#^$<".contains($0) } ?? false }
}
