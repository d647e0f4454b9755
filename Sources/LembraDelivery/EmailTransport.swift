/// Something that can deliver e-mail: SMTP in production, a maildir outbox for demos and tests.
/// Implementations are not required to be thread-safe: use one instance per thread, except that
/// different lanes (`send(_:lane:)`) may be driven from different threads at the same time.
public protocol EmailTransport: AnyObject {
    /// Sends one message to its single recipient. Never throws: every failure is an outcome.
    func send(_ message: EmailMessage) -> DeliveryOutcome
    /// Sends several messages and returns one outcome per message, in message order. SMTP sends
    /// them concurrently; the default sends them one after the other.
    func send(_ messages: [EmailMessage]) -> [DeliveryOutcome]
    /// Connections that can work at once, each driven through `send(_:lane:)` by its own thread.
    var lanes: Int { get }
    /// Sends the messages one after another on lane `lane` (in `0..<lanes`), one outcome per
    /// message, in order. One thread per lane at a time; different lanes may run concurrently.
    func send(_ messages: [EmailMessage], lane: Int) -> [DeliveryOutcome]
    /// Releases resources (connections, handles). The transport must not be used afterwards.
    func close()
}

extension EmailTransport {
    public func send(_ messages: [EmailMessage]) -> [DeliveryOutcome] {
        messages.map { send($0) }
    }

    public var lanes: Int { 1 }

    public func send(_ messages: [EmailMessage], lane: Int) -> [DeliveryOutcome] {
        send(messages)
    }
}
