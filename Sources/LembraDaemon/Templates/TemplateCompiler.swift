/// Compiles a template that Mustache has parsed (`TemplateSet.parse`) into a `CompiledTemplate`,
/// or gives up (nil) on anything it doesn't render the same way, which Mustache then renders.
///
/// Where text goes (a tag alone on its line takes its line with it; which spaces stay) follows
/// swift-mustache's parser step by step, quirks included, since the point is the same bytes:
/// it reads `TemplateSet.header` first, as Mustache does, so a blank first line is dropped the
/// same way. It takes variables, sections, inverted sections and comments. It leaves to
/// Mustache partials, blocks, delimiter changes, pragmas other than the header, transforms
/// (`name(x)`), names anchored with a leading `.`, and variables that would render an object or
/// the debts (Mustache writes out the Swift value there).
struct TemplateCompiler {
    private let chars: [Character]
    private var position = 0

    private init(_ text: String) { chars = Array(text) }

    /// `text` (without the header) compiled, or nil when Mustache must render it.
    static func compile(_ text: String) -> CompiledTemplate? {
        var compiler = TemplateCompiler(TemplateSet.header + text)
        guard let nodes = compiler.parse(closing: nil, newLine: true, top: .object), compiler.atEnd else { return nil }
        return CompiledTemplate(nodes: nodes)
    }

    /// Nodes up to the `{{/closing}}` tag (or the end, at the top). `newLine` says whether
    /// reading starts at the beginning of a line; `top` is what the innermost scope holds.
    private mutating func parse(closing: String?, newLine start: Bool, top: TemplateValue.Kind) -> [TemplateNode]? {
        var nodes: [TemplateNode] = []
        var newLine = start
        var spaces = ""
        /// Mustache puts the spaces before a tag that is not alone on its line back as text.
        func keepSpaces() {
            if !spaces.isEmpty { nodes.append(.text(spaces)); spaces = "" }
        }
        while !atEnd {
            if newLine { spaces = read { $0 == " " || $0 == "\t" } }
            guard let text = readText() else { return nil }
            if current.isNewline {
                nodes.append(.text(spaces + text + String(current)))
                newLine = true
                position += 1
                continue
            }
            if !text.isEmpty {
                nodes.append(.text(spaces + text))
                spaces = ""
                newLine = false
            }
            if atEnd { break }
            var alone = false
            switch current {
            case "#", "^":
                let inverted = current == "^"
                position += 1
                guard let raw = readName(), let name = TemplateName(raw) else { return nil }
                if newLine && lineFinished() { alone = true } else { keepSpaces() }
                guard let body = parse(closing: raw, newLine: alone, top: Self.scope(after: name, inverted: inverted, top: top)) else { return nil }
                nodes.append(inverted ? .inverted(name, body) : .section(name, body))
            case "/":
                position += 1
                guard let raw = readName(), raw == closing else { return nil }
                if !(newLine && lineFinished()) { keepSpaces() }
                return nodes
            case "!":
                position += 1
                guard skip(past: "}}") else { return nil }
                alone = newLine && lineFinished()
            case "{", "&":
                let triple = current == "{"
                keepSpaces()
                position += 1
                guard let raw = readName(), !triple || read("}"), let name = TemplateName(raw),
                      Self.rendersText(name, top: top) else { return nil }
                nodes.append(.variable(name))
            case "%":
                // Only the header, the first tag of all: any other pragma may change escaping.
                guard position == 2, skip(past: "}}") else { return nil }
                alone = newLine && lineFinished()
            case ">", "<", "$", "=":
                return nil
            default:
                keepSpaces()
                guard let raw = readName(), let name = TemplateName(raw), Self.rendersText(name, top: top) else { return nil }
                nodes.append(.variable(name))
            }
            newLine = alone
        }
        return closing == nil ? nodes : nil
    }

    /// Whether a variable tag renders text the way Mustache does: a text or Bool key, a key no
    /// scope answers, or `.` where the innermost scope is a text (inside `{{#pix_code}}`).
    private static func rendersText(_ name: TemplateName, top: TemplateValue.Kind) -> Bool {
        switch name.holds {
        case .current: top == .text
        case .nothing, .value(.text), .value(.bool): true
        case .value(.object), .value(.list): false
        }
    }

    /// What the innermost scope holds inside a section over `name`: the value it pushes (a debt
    /// for the list; an inverted section pushes only the empty list), or the same as outside.
    private static func scope(after name: TemplateName, inverted: Bool, top: TemplateValue.Kind) -> TemplateValue.Kind {
        guard case .value(let kind) = name.holds else { return top }
        switch (kind, inverted) {
        case (.list, _), (.object, false): return .object
        case (.text, false): return .text
        default: return top
        }
    }

    // MARK: Reading, as swift-mustache's parser reads (by Characters: "\r\n" is one).

    private var atEnd: Bool { position == chars.count }
    private var current: Character { atEnd ? "\0" : chars[position] }

    private mutating func read(while test: (Character) -> Bool) -> String {
        var out = ""
        while !atEnd, test(chars[position]) { out.append(chars[position]); position += 1 }
        return out
    }

    /// Reads `c` if it is next.
    private mutating func read(_ c: Character) -> Bool {
        guard current == c, !atEnd else { return false }
        position += 1
        return true
    }

    /// Text up to a line break (not read) or a `{{` (read), or the end; nil where Mustache's
    /// parser fails (a `{` as the last character).
    private mutating func readText() -> String? {
        var text = ""
        while !atEnd {
            text += read { $0 != "\n" && $0 != "\r\n" && $0 != "{" }
            if atEnd || current.isNewline { break }
            guard position + 1 < chars.count else { return nil }
            position += 1
            if chars[position] == "{" { position += 1; break }
            text.append("{")
        }
        return text
    }

    /// A tag's name and its closing `}}`; nil where Mustache's parser fails.
    private mutating func readName() -> String? {
        _ = read { $0.isWhitespace }
        let name = read { Self.nameCharacters.contains($0) }
        _ = read { $0.isWhitespace }
        guard read("}"), read("}") else { return nil }
        return name.contains("(") || name.contains(")") ? nil : name
    }

    private mutating func skip(past end: String) -> Bool {
        let target = Array(end)
        while position + target.count <= chars.count {
            if Array(chars[position..<position + target.count]) == target { position += target.count; return true }
            position += 1
        }
        return false
    }

    /// Whether the rest of the line is spaces: then it is read, line break included (Mustache's
    /// "standalone" tag). At the very end of the text, yes; spaces then the end, no.
    private mutating func lineFinished() -> Bool {
        if atEnd { return true }
        var p = position
        while p < chars.count, chars[p] == " " || chars[p] == "\t" { p += 1 }
        guard p < chars.count, chars[p].isNewline else { return false }
        position = p + 1
        return true
    }

    private static let nameCharacters = Set<Character>("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_?()*")
}
