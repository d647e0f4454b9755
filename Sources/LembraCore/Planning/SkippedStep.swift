/// A step that fell due and will never be sent, recorded `skipped` with its reason when the plan
/// is saved, so that nothing due is dropped without a row in `history`.
public struct SkippedStep: Sendable, Equatable {
    /// The message it would have been: one debt, one step.
    public var message: PlannedMessage
    public var reason: SkipReason

    public init(message: PlannedMessage, reason: SkipReason) { self.message = message; self.reason = reason }

    public var key: StepKey { message.items[0].key }
}
