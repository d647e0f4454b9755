import Foundation
import Testing
import TestSupport

/// What the inbox refuses to follow: a symbolic link (to a secret, say) dropped in it, and
/// `done/` or `rejected/` made links to somewhere else.
@Suite(.serialized) struct InboxSafetyTests {
    static let secret = "whsec_TOPSECRETFORTHETEST"

    /// A file outside the inbox that the daemon's user can read, and a link to it in the inbox.
    func linkToSecret(_ f: Fixture) throws -> URL {
        let secret = try f.dir.write("secret", Self.secret + "\n")
        let inbox = f.dir.path("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let link = inbox.appendingPathComponent("customers-evil.csv")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: secret)
        return inbox
    }

    /// Every file under `dir` whose content holds `text`.
    static func files(under dir: URL, containing text: String) -> [String] {
        let walker = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil, options: [])
        return (walker?.allObjects as? [URL] ?? []).filter { url in
            (try? url.resourceValues(forKeys: [.isSymbolicLinkKey]).isSymbolicLink) != true
                && (try? String(contentsOf: url, encoding: .utf8))?.contains(text) == true
        }.map(\.path)
    }

    /// A link to a secret is moved to `rejected/` unread, its report naming only what it is; a
    /// FIFO too (rejected before as well, since it could not be read, but now said so).
    @Test func aLinkOrAFIFOInTheInboxIsRejectedUnread() throws {
        let f = try Fixture()
        let inbox = try linkToSecret(f)
        #expect(mkfifo(inbox.appendingPathComponent("debts-pipe.csv").path, 0o600) == 0)
        let run = try #require(try f.lembra(within: 30, ["run", "--once"]), "the tick hung")
        #expect(run.status == 0, "\(run)")
        #expect(run.stderr.contains("event=rejected file=customers-evil.csv kind=customers reason=not_a_plain_file"), "\(run)")
        #expect(run.stderr.contains("event=rejected file=debts-pipe.csv kind=debts reason=not_a_plain_file"), "\(run)")
        #expect(Self.files(under: inbox, containing: "TOPSECRET").isEmpty, "the secret was copied into the inbox")
        #expect(!run.stderr.contains("TOPSECRET"))
        let report = { (name: String) in (try? String(contentsOf: inbox.appendingPathComponent("rejected/\(name).error"), encoding: .utf8)) ?? "" }
        #expect(report("customers-evil.csv").contains("a symbolic link"), "\(report("customers-evil.csv"))")
        #expect(report("debts-pipe.csv").contains("a FIFO"), "\(report("debts-pipe.csv"))")
        let moved = inbox.appendingPathComponent("rejected/customers-evil.csv").path
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: moved)) != nil, "the link itself was moved, not what it points to")
    }

    /// `done/` and `rejected/` made links to another folder: nothing is moved or written there,
    /// the files stay in the inbox, and nothing is planned meanwhile (the file may be a payment).
    @Test(arguments: ["done", "rejected"])
    func aLinkedDoneOrRejectedFolderIsNotUsed(_ folder: String) throws {
        let f = try Fixture()
        try f.importCustomersWithOneDebtEach(1)
        let elsewhere = try TemporaryDirectory("lembra-elsewhere")
        let inbox = f.dir.path("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: inbox.appendingPathComponent(folder), withDestinationURL: elsewhere.url)
        let csv = folder == "done" ? "id,name,email\nc9,Caio Lima,caio@example.com\n" : "id,name,email\nc9,Caio Lima,not-an-address\n"
        try csv.write(to: inbox.appendingPathComponent("customers-new.csv"), atomically: true, encoding: .utf8)

        let run = try f.lembra("run", "--once")
        #expect(run.status == 0, "\(run)")
        #expect(run.stderr.contains("event=inbox_refused folder=\(folder)"), "\(run)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.url.path).isEmpty, "something was put where the link points")
        #expect(FileManager.default.fileExists(atPath: inbox.appendingPathComponent("customers-new.csv").path), "the file stays for a later tick")
        #expect(try f.smtp.messages().isEmpty, "nothing is planned while a file waits")
    }
}
