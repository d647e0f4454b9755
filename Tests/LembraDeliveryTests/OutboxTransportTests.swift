import Foundation
import LembraDelivery
import TestSupport
import Testing

@Suite struct OutboxTransportTests {
    private func files(_ directory: URL, _ sub: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent(sub).path).sorted()
    }

    @Test func writesIntoNewAndLeavesTmpEmpty() throws {
        let directory = try TemporaryDirectory("lembra-outbox")
        let outbox = OutboxTransport(directory: directory.path("outbox"))
        let message = try Fixtures.message()
        #expect(outbox.send([message], lane: 0) == [.delivered(detail: "attempt-0001@lembra.test.eml")])

        let root = directory.path("outbox")
        #expect(try files(root, "new") == ["attempt-0001@lembra.test.eml"])
        #expect(try files(root, "tmp").isEmpty)
        #expect(try files(root, "cur").isEmpty)
        let bytes = try Data(contentsOf: root.appendingPathComponent("new/attempt-0001@lembra.test.eml"))
        #expect(Array(bytes) == (try MIMEMessage(rendering: message).bytes))
        let parsed = try ParsedEmail.parse(bytes)
        #expect(parsed["Subject"] == message.subject)
        #expect(parsed.body == message.body + "\n")
    }

    @Test func resendingTheSameAttemptOverwritesInsteadOfDuplicating() throws {
        let directory = try TemporaryDirectory("lembra-outbox")
        let outbox = OutboxTransport(directory: directory.url)
        #expect(outbox.send([try Fixtures.message(subject: "v1", id: "same/id:1@lembra.test")], lane: 0) == [.delivered(detail: "same%2Fid%3A1@lembra.test.eml")])
        #expect(outbox.send([try Fixtures.message(subject: "v2", id: "same/id:1@lembra.test")], lane: 0) == [.delivered(detail: "same%2Fid%3A1@lembra.test.eml")])
        #expect(outbox.send([try Fixtures.message(subject: "v3", id: "other@lembra.test")], lane: 0) == [.delivered(detail: "other@lembra.test.eml")])

        let names = try files(directory.url, "new")
        #expect(names == ["other@lembra.test.eml", "same%2Fid%3A1@lembra.test.eml"])
        let same = try Data(contentsOf: directory.url.appendingPathComponent("new/same%2Fid%3A1@lembra.test.eml"))
        #expect(try ParsedEmail.parse(same)["Subject"] == "v2")
        #expect(try files(directory.url, "tmp").isEmpty)
    }

    @Test func invalidMessageWritesNothing() throws {
        let directory = try TemporaryDirectory("lembra-outbox")
        let outbox = OutboxTransport(directory: directory.url)
        var message = try Fixtures.message()
        message.headers = [("X-Note", "a\r\nBcc: x@y.z")]
        guard case .failed(let error) = outbox.send([message], lane: 0)[0] else {
            Issue.record("expected failed")
            return
        }
        #expect(error.step == "invalid_message")
        #expect(!FileManager.default.fileExists(atPath: directory.path("new").path))
    }

    @Test func unwritableDirectoryIsRetried() throws {
        let directory = try TemporaryDirectory("lembra-outbox")
        let blocker = try directory.write("not-a-dir", "x") // a file where the maildir should be
        guard case .retry(let error, _) = OutboxTransport(directory: blocker).send([try Fixtures.message()], lane: 0)[0] else {
            Issue.record("expected retry")
            return
        }
        #expect(error.step == "io")
    }
}
