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

    /// A default step: on day `at`, `template` over `channel`, repeated every `repeatEvery` days.
    public typealias Step = (at: Int, channel: String, template: String, repeatEvery: Int?)

    /// Ladders by name, including `upcoming` and `on_paid`, for a config whose `channels:` names
    /// `channels`. Every step goes by e-mail (the channel named `email`), which any business
    /// has, except where the config has the channel a step is better on: with an `sms` channel
    /// the forgetful ladder's second reminder is a short SMS instead of a second e-mail, and with
    /// a `crm` channel the chronic ladder opens a call task for a person on day 3 (talking, the
    /// article's "sondagem", is what automation can't do). So a config with one e-mail channel
    /// and no ladders of its own is complete, and never names a channel it doesn't have.
    /// `upcoming` ends on the due date itself ("vence hoje", the reminder Brazilian customers
    /// expect most). `config/lembra.example.yaml` writes these out in full (a test keeps it so).
    public static func ladders(channels: Set<String>) -> [String: [Step]] {
        let secondForgetful: Step = channels.contains("sms") ? (4, "sms", "friendly-sms", nil) : (4, "email", "second-notice", nil)
        let call: [Step] = channels.contains("crm") ? [(3, "crm", "call-task", nil)] : []
        return [
            "upcoming": [(-3, "email", "upcoming", nil), (0, "email", "due-today", nil)],
            "forgetful": [(1, "email", "friendly", nil), secondForgetful],
            "short_delay": [(6, "email", "second-notice", nil), (15, "email", "offer", 7)],
            "chronic": [(1, "email", "firm", nil)] + call + [(10, "email", "offer", nil)],
            "on_paid": [(0, "email", "thanks", nil)],
        ]
    }
}
