/// One comparison in a segment rule, written in the config as `"days_overdue <= 5"`.
public struct SegmentCondition: Sendable, Equatable, CustomStringConvertible {
    public enum Metric: String, Sendable, CaseIterable {
        case daysOverdue = "days_overdue"
        case latePayments12m = "late_payments_12m"
        case openOverdue = "open_overdue"
        case overdueTotal = "overdue_total"
        case avgDaysLate12m = "avg_days_late_12m"
    }

    public enum Operator: String, Sendable, CaseIterable {
        case lessOrEqual = "<=", greaterOrEqual = ">=", equal = "==", notEqual = "!=", less = "<", greater = ">"
    }

    public var metric: Metric
    public var op: Operator
    public var value: Int64

    public init(metric: Metric, op: Operator, value: Int64) { self.metric = metric; self.op = op; self.value = value }

    /// Parses `metric op integer`; the error message names what is wrong, for check-config.
    public static func parse(_ text: String) -> Result<SegmentCondition, SegmentConditionError> {
        let tokens = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard tokens.count == 3 else { return .failure(.init("expected 'metric operator number', e.g. 'days_overdue <= 5'")) }
        guard let metric = Metric(rawValue: tokens[0]) else {
            return .failure(.init("unknown metric '\(tokens[0])'; known: \(Metric.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        guard let op = Operator(rawValue: tokens[1]) else {
            return .failure(.init("unknown operator '\(tokens[1])'; use one of < <= > >= == !="))
        }
        guard let value = Int64(tokens[2]) else { return .failure(.init("'\(tokens[2])' is not a whole number")) }
        return .success(SegmentCondition(metric: metric, op: op, value: value))
    }

    public func holds(for metrics: CustomerMetrics) -> Bool {
        let v = metrics.value(of: metric)
        switch op {
        case .less: return v < value
        case .lessOrEqual: return v <= value
        case .greater: return v > value
        case .greaterOrEqual: return v >= value
        case .equal: return v == value
        case .notEqual: return v != value
        }
    }

    public var description: String { "\(metric.rawValue) \(op.rawValue) \(value)" }
}

/// Why a segment condition could not be parsed.
public struct SegmentConditionError: Error, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
