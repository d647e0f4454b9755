/// Something that can deliver e-mail: SMTP in production, a maildir outbox for demos and tests.
/// Implementations are not required to be thread-safe: use one instance per thread.
public protocol EmailTransport: AnyObject {
    /// Sends one message to its single recipient. Never throws: every failure is an outcome.
    func send(_ message: EmailMessage) -> DeliveryOutcome
    /// Sends several messages and returns one outcome per message, in message order. SMTP sends
    /// them concurrently; the default sends them one after the other.
    func send(_ messages: [EmailMessage]) -> [DeliveryOutcome]
    /// Releases resources (connections, handles). The transport must not be used afterwards.
    func close()
}

extension EmailTransport {
    public func send(_ messages: [EmailMessage]) -> [DeliveryOutcome] {
        messages.map { send($0) }
    }
}
