import Foundation
import LembraDelivery
import LembraStore

/// E-mail over SMTP or into the outbox, one message per transfer on a reused connection. Small
/// batches: an e-mail can't be un-sent, so a crash puts at most one batch in doubt.
final class EmailSender: ChannelSender {
    private let transport: any EmailTransport
    private let from: String
    private let replyTo: String?
    let resendIsSafe: Bool
    let batchLimit = 8

    init(transport: any EmailTransport, from: String, replyTo: String?, resendIsSafe: Bool) {
        self.transport = transport; self.from = from; self.replyTo = replyTo; self.resendIsSafe = resendIsSafe
    }

    func send(_ attempts: [Attempt], now: Date) -> [DeliveryOutcome] {
        attempts.map { send($0, now: now) }
    }

    /// The Message-ID derives from the attempt id, so a re-send of the same attempt carries the same id.
    private func send(_ attempt: Attempt, now: Date) -> DeliveryOutcome {
        guard let email = RenderedEmail.decode(attempt.payload) else { return .failed(.invalidMessage("stored payload is unreadable")) }
        do throws(DeliveryError) {
            var reply: EmailAddress? = nil
            if let replyTo { reply = try EmailAddress(replyTo) }
            let message = EmailMessage(
                messageID: "\(attempt.id)@lembra", date: now, from: try EmailSender.address(from), replyTo: reply,
                to: try EmailAddress(email.to, displayName: email.toName), subject: email.subject, body: email.body)
            return transport.send(message)
        } catch {
            return .failed(error)
        }
    }

    func close() { transport.close() }

    /// Parses `Name <addr@host>` or a bare `addr@host`.
    static func address(_ text: String) throws(DeliveryError) -> EmailAddress {
        guard let open = text.lastIndex(of: "<"), text.hasSuffix(">") else { return try EmailAddress(text.trimmingCharacters(in: .whitespaces)) }
        let name = text[..<open].trimmingCharacters(in: CharacterSet(charactersIn: " \""))
        let addr = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        return try EmailAddress(addr, displayName: name.isEmpty ? nil : name)
    }
}
