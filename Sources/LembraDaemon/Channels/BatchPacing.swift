/// How many attempts a batch may hold on a channel with a `rate:` limit.
///
/// A batch is marked `sending` in one commit and then sent whole, at the channel's pace. The
/// lanes check each customer's sending window when they take a batch, not message by message,
/// so a batch that takes minutes (128 webhooks at `rate: 1`) could carry messages past 20:00;
/// and everything in a batch is in flight until its outcomes are recorded. Capping a batch at
/// about `seconds` of sending bounds both, at the cost of a commit per batch, which a rate
/// limited channel can afford.
enum BatchPacing {
    /// Seconds of sending a lane's batches in flight may take together at the channel's rate.
    static let seconds = 5.0

    /// `limit`, or fewer so that `inFlight` batches, sent at `rate` messages per second, last
    /// about `seconds` together; never less than 1. `inFlight` is one per lane (the lanes share
    /// the rate), and two for a lane that marks its next batch while it sends one (`LaneLoop`).
    static func limit(_ limit: Int, rate: Double?, inFlight: Int) -> Int {
        guard let rate, rate > 0 else { return limit }
        let paced = Int((rate * seconds / Double(max(inFlight, 1))).rounded(.down))
        return max(1, min(limit, paced))
    }
}
