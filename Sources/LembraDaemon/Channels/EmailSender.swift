import Foundation
import LembraDelivery
import LembraStore

/// E-mail over SMTP (one lane per connection, up to `max_connections`, each connection reused)
/// or into the outbox, one message per transfer.
///
/// Batches stay small because an e-mail can't be un-sent: a batch is marked `sending` in one
/// commit before any of it goes out. After a crash of the process the progress file tells which
/// of it went out, so only the message on the wire is in doubt; but when that file can't be
/// trusted (after a reboot) the batches in flight are in doubt (never re-sent under
/// `in_doubt: skip`): 8 per connection. Larger batches mean fewer commits per message (one per
/// batch) but a larger exposure then. Each connection sends its own batches, so while one
/// records its outcomes the others keep sending.
final class EmailSender: ChannelSender {
    /// Messages in one batch, which one connection sends.
    static let messagesPerConnection = 8

    private let transport: any EmailTransport
    /// The channel's sender and the business's Reply-To, parsed once (a bad one fails every message).
    private let from: Result<EmailAddress, DeliveryError>
    private let replyTo: Result<EmailAddress?, DeliveryError>
    let resendIsSafe: Bool
    /// `messagesPerConnection`, or fewer under a `rate:` shared by the connections (`BatchPacing`).
    let batchLimit: Int
    var lanes: Int { transport.lanes }
    /// Each connection's commits already overlap the others' sending; marking ahead, with
    /// batches of 4 to keep 8 in flight, measured slower (twice the commits).
    let marksAhead = false

    init(transport: any EmailTransport, from: String, replyTo: String?, resendIsSafe: Bool, rate: Double? = nil) {
        self.transport = transport; self.resendIsSafe = resendIsSafe
        batchLimit = BatchPacing.limit(EmailSender.messagesPerConnection, rate: rate, inFlight: transport.lanes)
        self.from = Result { () throws(DeliveryError) in try EmailSender.address(from) }
        self.replyTo = Result { () throws(DeliveryError) in try replyTo.map { r throws(DeliveryError) in try EmailAddress(r) } }
    }

    /// Messages that can't be built fail on their own; the rest go to the transport together.
    func send(_ attempts: [Attempt], lane: Int, now: Date, events: TransferEvents?) -> [DeliveryOutcome] {
        var outcomes = [DeliveryOutcome?](repeating: nil, count: attempts.count)
        var messages: [(index: Int, message: EmailMessage)] = []
        for (index, attempt) in attempts.enumerated() {
            do throws(DeliveryError) { messages.append((index, try message(for: attempt, now: now))) } catch { outcomes[index] = .failed(error) }
        }
        let sent = transport.send(messages.map(\.message), lane: lane, events: events?.mapped { messages[$0].index })
        for (message, outcome) in zip(messages, sent) { outcomes[message.index] = outcome }
        return outcomes.map { $0 ?? .failed(.config("no outcome recorded")) }
    }

    /// The Message-ID derives from the attempt id, so a re-send of the same attempt carries the same id.
    private func message(for attempt: Attempt, now: Date) throws(DeliveryError) -> EmailMessage {
        guard let email = RenderedEmail.decode(attempt.payload) else { throw .invalidMessage("stored payload is unreadable") }
        return EmailMessage(
            messageID: "\(attempt.id)@lembra", date: now, from: try from.get(), replyTo: try replyTo.get(),
            to: try EmailAddress(email.to, displayName: email.toName), subject: email.subject, body: email.body,
            headers: email.headers)
    }

    func close() { transport.close() }

    /// Parses `Name <addr@host>` or a bare `addr@host`.
    static func address(_ text: String) throws(DeliveryError) -> EmailAddress {
        let (name, addr) = split(text)
        return try EmailAddress(addr, displayName: name)
    }

    /// The display name (nil when none) and the addr-spec of `Name <addr@host>` or `addr@host`.
    /// The config check splits `from` with this too, so it checks exactly what will be sent.
    static func split(_ text: String) -> (name: String?, address: String) {
        guard let open = text.lastIndex(of: "<"), text.hasSuffix(">") else { return (nil, text.trimmingCharacters(in: .whitespaces)) }
        let name = text[..<open].trimmingCharacters(in: CharacterSet(charactersIn: " \""))
        return (name.isEmpty ? nil : name, String(text[text.index(after: open)..<text.index(before: text.endIndex)]))
    }
}
