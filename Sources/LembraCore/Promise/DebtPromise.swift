/// A customer's promise to pay one debt by a date, made on the promise page from the link in the
/// message of ladder step `stepID`. While `through` has not passed, the debt's reminders are held
/// (`HoldReason.promised`); once it has, the next reminder is the `broken-promise` template.
public struct DebtPromise: Sendable, Equatable {
    /// The promised day (the customer's calendar); reminders wait until the day after it.
    public var through: CalendarDate
    /// The step whose message carried the link.
    public var stepID: String

    public init(through: CalendarDate, stepID: String) { self.through = through; self.stepID = stepID }
}
