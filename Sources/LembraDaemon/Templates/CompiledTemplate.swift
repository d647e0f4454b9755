/// A message template rendered straight from the message's facts, without Mustache's lookups.
///
/// Mustache, at every tag, splits the name into new strings and casts each object of the
/// context stack to three protocols on the way down: about two thirds of composing a message
/// and a tenth of the whole tick's CPU. A compiled template did all of that once: its names are
/// keys (`TemplateName`), its stack holds `TemplateValue`s, and a tag is a `switch`.
///
/// It renders exactly what Mustache renders for the templates it takes (`TemplateCompiler`
/// leaves every other one to Mustache), which the tests check on random templates and facts:
/// - a variable renders its text, or `true`/`false`, and nothing when unset (plain text: no
///   escaping, so `{{x}}` and `{{{x}}}` are the same);
/// - a section renders once per debt (each pushed), once for `true`, once for a set value
///   (pushed), never for `false` or an unset value;
/// - an inverted section renders for `false`, an unset value or no debts (that empty list
///   pushed, as Mustache does), never otherwise.
struct CompiledTemplate: Sendable {
    let nodes: [TemplateNode]

    /// The template rendered for `facts`.
    /// Rendered on bytes: a message's templates append some thirty pieces, and appending to a
    /// String cost several hundred instructions each.
    func render(_ facts: MessageFacts) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        var stack: [TemplateValue] = [.root(facts)]
        Self.render(nodes, stack: &stack, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static func render(_ nodes: [TemplateNode], stack: inout [TemplateValue], into out: inout [UInt8]) {
        for node in nodes {
            switch node {
            case .text(let text): out += text.utf8
            case .variable(let name):
                switch name.resolve(in: stack) {
                case .text(let text)?: out += text.utf8
                case .bool(let flag)?: out += (flag ? "true" : "false").utf8
                default: break // unset; the compiler takes no variable that could hold anything else
                }
            case .section(let name, let body):
                switch name.resolve(in: stack) {
                case .debts(let debts)?:
                    for debt in debts { renderPushing(.debt(debt), body, stack: &stack, into: &out) }
                case .bool(let flag)?: if flag { render(body, stack: &stack, into: &out) }
                case let value?: renderPushing(value, body, stack: &stack, into: &out)
                case nil: break
                }
            case .inverted(let name, let body):
                switch name.resolve(in: stack) {
                case .debts(let debts)?: if debts.isEmpty { renderPushing(.debts(debts), body, stack: &stack, into: &out) }
                case .bool(let flag)?: if !flag { render(body, stack: &stack, into: &out) }
                case .some: break
                case nil: render(body, stack: &stack, into: &out)
                }
            }
        }
    }

    private static func renderPushing(_ value: TemplateValue, _ body: [TemplateNode], stack: inout [TemplateValue], into out: inout [UInt8]) {
        stack.append(value)
        render(body, stack: &stack, into: &out)
        stack.removeLast()
    }
}
