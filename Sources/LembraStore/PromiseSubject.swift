import LembraCore

/// What the promise page shows and checks about the debt a link names: the debt as it is now,
/// its customer's locale and zone (the page's language, and the calendar its dates are in), and
/// whether the link's step was already used.
public struct PromiseSubject: Sendable, Equatable {
    public var debt: Debt
    public var locale: MessageLocale?
    /// The customer's IANA zone; nil: the business's.
    public var timezone: String?
    public var alreadyUsed: Bool

    public init(debt: Debt, locale: MessageLocale?, timezone: String?, alreadyUsed: Bool) {
        self.debt = debt; self.locale = locale; self.timezone = timezone; self.alreadyUsed = alreadyUsed
    }
}
