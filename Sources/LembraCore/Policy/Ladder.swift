/// The steps one segment (or `upcoming`, or `on_paid`) receives, in day order.
public struct Ladder: Sendable, Equatable {
    public var name: String
    public var steps: [LadderStep]

    public init(name: String, steps: [LadderStep]) { self.name = name; self.steps = steps }

    /// All occurrences sorted by day (ties keep config order).
    public var occurrences: [LadderOccurrence] {
        steps.flatMap(\.occurrences).enumerated()
            .sorted { ($0.element.day, $0.offset) < ($1.element.day, $1.offset) }.map(\.element)
    }
}
