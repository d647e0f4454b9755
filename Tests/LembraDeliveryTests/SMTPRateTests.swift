import Foundation
import LembraDelivery
import TestSupport
import Testing

/// `rate` caps message starts per second across all lanes (a relay's sending quota), each lane
/// driven from its own thread as the tick does, measured where it matters: when the server
/// received each message.
struct SMTPRateTests {
    @Test func messagesStartNoFasterThanTheRate() throws {
        let server = try SMTPTestServer()
        let settings = SMTPSettings(url: server.url, tls: .disabled, connectTimeout: 2, timeout: 5, maxConnections: 4, rate: 20)
        let transport = try SMTPTransport(settings: settings)
        defer { transport.close() }
        let messages = try (0..<10).map { i in try Fixtures.message(subject: "m\(i)", id: "r\(i)@lembra.test") }
        #expect(LaneThreads.sendInOrder(messages, over: transport) == Array(repeating: .delivered(detail: "smtp 250"), count: 10))
        let new = server.maildir.appendingPathComponent("new")
        let arrivals = try FileManager.default.contentsOfDirectory(atPath: new.path).map { name in
            try #require(try FileManager.default.attributesOfItem(atPath: new.appendingPathComponent(name).path)[.modificationDate] as? Date)
        }.sorted()
        // Ten starts 50 ms apart span about 450 ms, less the first message's connection set-up
        // (the others reuse their lane's) and the server's wake-ups: 0.3 s leaves room for a
        // loaded machine. Paced per lane instead (three messages each on the busiest lanes) they
        // would span about 100 ms; unpaced, a few ms.
        let span = try #require(arrivals.last).timeIntervalSince(try #require(arrivals.first))
        #expect(span >= 0.3, "arrivals spanned \(span) s")
    }

    @Test func aNonPositiveRateIsRefused() {
        #expect(throws: DeliveryError.self) { try SMTPSettings(url: "smtp://127.0.0.1:25", tls: .disabled, rate: 0).validate() }
    }
}
