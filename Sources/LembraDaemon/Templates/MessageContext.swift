import Foundation
import LembraCore
import Mustache

/// The variables a template sees (documented in the README and `config/templates`; check-config
/// accepts the names in `TemplateChecks.knownVariables`), as Mustache looks them up: the values
/// of `TemplateValue`, which answers each name, wrapped for Mustache.
///
/// Mustache looks every name up through `MustacheParent.child(named:)`, casting each object on
/// its way. These small structs (one reference each, so they fit in an `Any` without a box)
/// answer from `TemplateValue.child`, and their values are `Text`, which Mustache renders
/// without `String(describing:)`. A template the compiled renderer takes (`CompiledTemplate`)
/// never comes here; the others do, and the tests compare the two. A name a scope doesn't know
/// is nil, so the lookup goes on to the enclosing scope (`{{business.name}}` inside `{{#debts}}`).
enum MessageContext {
    /// The root: `customer`, `debts`, `count`, `total`, `total_due_today`, `late_fees`,
    /// `business`, `segment`, `step`, `today`.
    struct Root: MustacheParent {
        let facts: MessageFacts
        func child(named name: String) -> Any? { MessageContext.child(of: .root(facts), named: name) }
    }

    /// `customer.id`, `customer.name`.
    struct Customer: MustacheParent {
        let facts: MessageFacts
        func child(named name: String) -> Any? { MessageContext.child(of: .customer(facts), named: name) }
    }

    /// `business.name`, `business.document`, `business.address`, `business.reply_to` (absent when
    /// unset, so a template can wrap it in a section: an empty string would count as set).
    struct Business: MustacheParent {
        let facts: MessageFacts
        func child(named name: String) -> Any? { MessageContext.child(of: .business(facts), named: name) }
    }

    /// Each element of `debts`: `id`, `description`, `amount`, `amount_cents`, `due_date`,
    /// `days_overdue`, `payment_link`, `pix_code`, `promise_link`, and the late fees of the message's day:
    /// `amount_due_today` (and `_cents`), `late_fee_fine`, `late_fee_interest` (zero amounts without
    /// them) and `late_fees`, true when they add something to this debt.
    struct Debt: MustacheParent {
        let facts: MessageFacts.DebtFacts
        func child(named name: String) -> Any? { MessageContext.child(of: .debt(facts), named: name) }
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

    /// `name` in `scope`, as Mustache takes it: a Bool, an array, or one of the structs above.
    static func child(of scope: TemplateValue, named name: String) -> Any? {
        guard let key = TemplateKey(rawValue: name), let value = scope.child(key) else { return nil }
        switch value {
        case .root(let facts): return Root(facts: facts)
        case .customer(let facts): return Customer(facts: facts)
        case .business(let facts): return Business(facts: facts)
        case .debts(let debts): return debts.map(Debt.init)
        case .debt(let facts): return Debt(facts: facts)
        case .text(let text): return Text(text)
        case .bool(let flag): return flag
        }
    }
}
