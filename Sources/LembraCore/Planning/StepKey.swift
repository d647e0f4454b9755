/// The ledger's key: one reminder per (debt, due date, step), ever.
public struct StepKey: Hashable, Sendable, CustomStringConvertible {
    public var debtID: String
    public var dueDate: CalendarDate
    public var stepID: String

    public init(debtID: String, dueDate: CalendarDate, stepID: String) {
        self.debtID = debtID; self.dueDate = dueDate; self.stepID = stepID
    }

    public var description: String { "\(debtID)/\(dueDate.iso)/\(stepID)" }
}
