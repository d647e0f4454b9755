/// A tag's variable name, split into keys once, when the template is compiled: `customer.name`
/// is `[.customer, .name]`; `.` (and an empty name) is no key at all, the current object.
/// Mustache splits it the same way at every lookup, dropping empty parts.
struct TemplateName: Sendable {
    /// One per part; nil for a part no scope answers (that lookup finds nothing).
    let keys: [TemplateKey?]

    /// Nil for a name anchored to the current object (`.name`), which the compiler leaves to Mustache.
    init?(_ text: String) {
        if text != ".", text.first == "." { return nil }
        keys = text.split(separator: ".").map { TemplateKey(rawValue: String($0)) }
    }

    /// What a name can hold, known when the template is compiled.
    enum Holds { case current, nothing, value(TemplateValue.Kind) }

    /// The current object (`.`), nothing (a part no scope answers), or a value of its last key's kind.
    var holds: Holds {
        guard let last = keys.last else { return .current }
        return last.map { .value($0.kind) } ?? .nothing
    }

    /// Mustache's lookup: the first key from the innermost scope out, the first scope that
    /// answers it wins, and the other keys from what it answered (no climbing back out).
    func resolve(in stack: [TemplateValue]) -> TemplateValue? {
        guard let first = keys.first else { return stack.last }
        guard let first else { return nil }
        for scope in stack.reversed() {
            guard var value = scope.child(first) else { continue }
            for key in keys.dropFirst() {
                guard let key, let next = value.child(key) else { return nil }
                value = next
            }
            return value
        }
        return nil
    }
}
