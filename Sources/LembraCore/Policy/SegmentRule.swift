/// A named segment and when a customer belongs to it. Rules are tried in order; the first match
/// wins, and a rule with no conditions matches everyone (the catch-all, last).
public struct SegmentRule: Sendable, Equatable {
    public var name: String
    /// Matches if any of these holds (ignored when empty).
    public var any: [SegmentCondition]
    /// Matches if all of these hold (ignored when empty).
    public var all: [SegmentCondition]

    public init(name: String, any: [SegmentCondition] = [], all: [SegmentCondition] = []) {
        self.name = name; self.any = any; self.all = all
    }

    public func matches(_ m: CustomerMetrics) -> Bool {
        (any.isEmpty || any.contains { $0.holds(for: m) }) && all.allSatisfy { $0.holds(for: m) }
    }

    /// The first matching rule's name; nil only if no rule matches (check-config requires a catch-all).
    public static func segment(for metrics: CustomerMetrics, rules: [SegmentRule]) -> String? {
        rules.first { $0.matches(metrics) }?.name
    }
}
