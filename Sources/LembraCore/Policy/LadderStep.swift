/// One rung of a ladder: on day `at` relative to the due date, send `template` over `channel`.
public struct LadderStep: Sendable, Equatable {
    /// Stable id the ledger keys on (default `<ladder>.<at>`, e.g. `forgetful.1d`), so editing or
    /// reordering a ladder never re-sends a step that already went out.
    public var id: String
    /// Days relative to the due date: -3 is three days before, 1 the first day overdue.
    public var at: Int
    public var channel: String
    public var template: String
    /// Repeat every N days after `at` while unpaid.
    public var repeatEvery: Int?
    /// How many repeats after the first send, at most.
    public var maxRepeats: Int

    public init(id: String, at: Int, channel: String, template: String, repeatEvery: Int? = nil, maxRepeats: Int = 5) {
        self.id = id; self.at = at; self.channel = channel; self.template = template
        self.repeatEvery = repeatEvery; self.maxRepeats = maxRepeats
    }

    /// The default id: `forgetful.1d`, `upcoming.-3d`.
    public static func defaultID(ladder: String, at: Int) -> String { "\(ladder).\(at)d" }

    /// Every day this step fires on, with the id of each occurrence (`#2`, `#3`... for repeats).
    public var occurrences: [LadderOccurrence] {
        var result = [LadderOccurrence(stepID: id, day: at, step: self)]
        if let every = repeatEvery, every > 0, maxRepeats > 0 {
            for n in 1...maxRepeats { result.append(LadderOccurrence(stepID: "\(id)#\(n + 1)", day: at + n * every, step: self)) }
        }
        return result
    }
}

/// A step firing on a given day relative to the due date.
public struct LadderOccurrence: Sendable, Equatable {
    public var stepID: String
    public var day: Int
    public var step: LadderStep
}
