import Foundation

/// Delivers into a maildir instead of the network: the demo's "sent mail", readable by any
/// mail client (`mutt -f DIR`) and by tests.
///
/// Each message is written to `tmp/` (readable by its owner only: it names the customer) and
/// then renamed into `new/`, so a reader never sees a half-written file. The file name comes from
/// the Message-ID, not from a counter or the clock: re-sending the same attempt (which keeps its
/// Message-ID) overwrites the earlier file instead of adding a duplicate, just as a receiving MTA
/// would deduplicate it.
public final class OutboxTransport: EmailTransport {
    public let directory: URL
    /// Advanced as each message is written (or fails to be).
    private let progress: ProgressCounter?

    public init(directory: URL, progress: ProgressCounter? = nil) {
        self.directory = directory
        self.progress = progress
    }

    /// One lane: a write needs no connection kept busy, so more threads would add nothing a demo needs.
    public var lanes: Int { 1 }

    public func send(_ messages: [EmailMessage], lane: Int, events: TransferEvents?) -> [DeliveryOutcome] {
        messages.enumerated().map { index, message in
            defer { progress?.advance() }
            guard events?.willStart(index) != false else { return .retry(.notStarted("held back before writing"), after: nil) }
            let outcome = deliver(message)
            events?.didFinish(index, outcome)
            return outcome
        }
    }

    /// Writes one message into `new/`. Never throws: every failure is an outcome.
    private func deliver(_ message: EmailMessage) -> DeliveryOutcome {
        let mime: MIMEMessage
        do { mime = try MIMEMessage(rendering: message) } catch { return .failed(error) }
        let name = Self.fileName(forMessageID: message.messageID)
        let fm = FileManager.default
        do {
            for sub in ["tmp", "new", "cur"] {
                try fm.createDirectory(at: directory.appendingPathComponent(sub), withIntermediateDirectories: true)
            }
            let temporary = directory.appendingPathComponent("tmp").appendingPathComponent(name)
            let final = directory.appendingPathComponent("new").appendingPathComponent(name)
            try PrivateFile.write(Data(mime.bytes), to: temporary.path)
            // rename(2) replaces an existing file atomically; FileManager.moveItem would refuse.
            guard rename(temporary.path, final.path) == 0 else {
                let reason = String(cString: strerror(errno))
                try? fm.removeItem(at: temporary)
                return .retry(.io("outbox rename failed: \(reason)"), after: nil)
            }
        } catch {
            return .retry(.io("outbox write failed: \(error.localizedDescription)"), after: nil)
        }
        return .delivered(detail: name)
    }

    /// Nothing to release: every send opens and closes its own files.
    public func close() {}

    /// A maildir-safe name derived only from the Message-ID (`/` and `:` are not allowed in
    /// maildir names, so every byte outside `[A-Za-z0-9._-@]` is hex-escaped).
    static func fileName(forMessageID id: String) -> String {
        var name = ""
        for byte in id.utf8 {
            let c = Character(UnicodeScalar(byte))
            if c.isASCII, c.isLetter || c.isNumber || "._-@".contains(c) {
                name.append(c)
            } else {
                name += String(format: "%%%02X", byte)
            }
        }
        return name + ".eml"
    }
}
