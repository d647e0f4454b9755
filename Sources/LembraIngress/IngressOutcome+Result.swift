import LembraStore

extension IngressOutcome {
    /// The `result` the sender reads: `recorded`, `duplicate` or `unmatched`.
    var result: String {
        switch self {
        case .recorded: "recorded"
        case .duplicate: "duplicate"
        case .unmatched: "unmatched"
        }
    }
}
