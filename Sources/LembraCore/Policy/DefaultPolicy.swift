/// The defaults from the design, used when the config leaves `segments:` or `ladders:` out.
public enum DefaultPolicy {
    /// chronic / forgetful / short_delay, first match wins.
    public static let segments: [SegmentRule] = [
        SegmentRule(name: "chronic", any: [
            SegmentCondition(metric: .latePayments12m, op: .greaterOrEqual, value: 3),
            SegmentCondition(metric: .openOverdue, op: .greaterOrEqual, value: 2),
            SegmentCondition(metric: .daysOverdue, op: .greater, value: 30),
        ]),
        SegmentRule(name: "forgetful", all: [
            SegmentCondition(metric: .daysOverdue, op: .lessOrEqual, value: 5),
            SegmentCondition(metric: .latePayments12m, op: .lessOrEqual, value: 1),
        ]),
        SegmentRule(name: "short_delay"),
    ]

    /// Ladders by name, including `upcoming` and `on_paid`. `upcoming` ends on the due date
    /// itself ("vence hoje", the reminder Brazilian customers expect most).
    public static let ladders: [String: [(at: Int, channel: String, template: String, repeatEvery: Int?)]] = [
        "upcoming": [(-3, "email", "upcoming", nil), (0, "email", "due-today", nil)],
        "forgetful": [(1, "email", "friendly", nil), (4, "sms", "friendly-sms", nil)],
        "short_delay": [(6, "email", "second-notice", nil), (15, "email", "offer", 7)],
        "chronic": [(1, "email", "firm", nil), (3, "crm", "call-task", nil)],
        "on_paid": [(0, "email", "thanks", nil)],
    ]
}
