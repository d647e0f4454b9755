/// Something that can deliver e-mail: SMTP in production, a maildir outbox for demos and tests.
///
/// One way to drive it, the daemon's: a thread per lane, each sending its own messages through
/// `send(_:lane:)`, so one lane can record its outcomes while the others keep sending. A lane is
/// never driven from two threads at once; different lanes may run at the same time.
public protocol EmailTransport: AnyObject {
    /// Connections that can work at once, each driven through `send(_:lane:)` by its own thread.
    var lanes: Int { get }
    /// Sends the messages one after another on lane `lane` (in `0..<lanes`) and returns one
    /// outcome per message, in message order. Never fails as a whole: every failure is an outcome.
    /// `events` hears of each message as it starts and as it ends.
    func send(_ messages: [EmailMessage], lane: Int, events: TransferEvents?) -> [DeliveryOutcome]
    /// Releases resources (connections, handles). The transport must not be used afterwards.
    func close()
}

extension EmailTransport {
    /// Sends without telling anyone as each message starts and ends.
    public func send(_ messages: [EmailMessage], lane: Int) -> [DeliveryOutcome] { send(messages, lane: lane, events: nil) }
}
