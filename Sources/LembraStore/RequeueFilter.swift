import Foundation
import LembraCore

/// Which `dead` attempts `lembra requeue` looks at. Every set field narrows the selection; a
/// filter with none set means every dead attempt (the command asks for `--all` to say so).
public struct RequeueFilter: Sendable, Equatable {
    public var channel: String?
    public var customerID: String?
    /// Attempts that died at or after this instant.
    public var since: Date?

    public init(channel: String? = nil, customerID: String? = nil, since: Date? = nil) {
        self.channel = channel; self.customerID = customerID; self.since = since
    }

    /// The filter as written on the command line, for the `requeued` event in `history`.
    public var description: String {
        var parts: [String] = []
        if let channel { parts.append("channel=\(channel)") }
        if let customerID { parts.append("customer=\(customerID)") }
        if let since { parts.append("since=\(Timestamp.format(since))") }
        return parts.isEmpty ? "all" : parts.joined(separator: ",")
    }
}
