import Foundation
import LembraCore
import Mustache

/// The variables a template sees (documented in the README and `config/templates`; check-config
/// accepts the names in `TemplateChecks.knownVariables`), as Mustache looks them up: the values
/// of `TemplateValue`, which answers each name, wrapped for Mustache.
///
/// Mustache looks every name up through `MustacheParent.child(named:)`, casting each object on
/// its way. A scope answers from `TemplateValue.child`, and its values are `Text`, which
/// Mustache renders without `String(describing:)`. A template the compiled renderer takes
/// (`CompiledTemplate`) never comes here; the others do, and the tests compare the two. A name a
/// scope doesn't know is nil, so the lookup goes on to the enclosing scope (`{{business.name}}`
/// inside `{{#debts}}`).
enum MessageContext {
    /// A scope of the context (the root, `customer`, `business`, a debt): answers a name with
    /// what `TemplateValue.child` answers, wrapped for Mustache.
    struct Scope: MustacheParent {
        let value: TemplateValue
        init(_ value: TemplateValue) { self.value = value }

        func child(named name: String) -> Any? {
            guard let key = TemplateKey(rawValue: name), let child = value.child(key) else { return nil }
            switch child {
            case .debts(let debts): return debts.map { Scope(.debt($0)) }
            case .text(let text): return Text(text)
            case .bool(let flag): return flag
            case .root, .customer, .business, .debt: return Scope(child)
            }
        }
    }

    /// A value: rendered as is (what `String(describing:)` gave for the String or Int it
    /// replaces), and with no children, so a section over it (`{{#pix_code}}`) never sends a
    /// lookup inside it to reflection.
    struct Text: MustacheCustomRenderable, MustacheParent {
        let renderText: String
        init(_ text: String) { renderText = text }
        var isNull: Bool { false }
        func child(named: String) -> Any? { nil }
    }
}
