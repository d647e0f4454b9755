import Foundation
import LembraDelivery
import Synchronization

/// The transports alone, without the ledger, the planner or the templates: the same messages the
/// tick sends, through the same libcurl code, driven the way the tick drives them (a thread per
/// SMTP lane; one multi handle for webhooks, in batches of 256). Shows how much of the gap to
/// smtp-source and wrk is libcurl's own cost and how much is the daemon's work around it.
enum TransportBenchmark {
    /// Sends `count` copies of a reminder-sized e-mail over `connections` lanes; returns messages/s.
    static func smtp(url: String, connections: Int, count: Int, bodyFile: String) throws -> Double {
        let transport = try SMTPTransport(settings: SMTPSettings(url: url, tls: .disabled, maxConnections: connections))
        defer { transport.close() }
        let body = try String(contentsOfFile: bodyFile, encoding: .utf8)
        let from = try EmailAddress("cobranca@oficina-exemplo.com.br", displayName: "Oficina Exemplo")
        let messages = try (0..<count).map { i in
            EmailMessage(messageID: "bench-\(i)@lembra", date: Date(), from: from, to: try EmailAddress("c\(i)@cliente.example"),
                         subject: "Lembrete: pagamento em aberto", body: body)
        }
        let perLane = (count + connections - 1) / connections
        return try timed(count) {
            let failures = Atomic(0)
            let done = DispatchGroup()
            // One thread per lane, as the tick runs them (and each lane driven by exactly one thread).
            nonisolated(unsafe) let transport = transport
            for lane in 0..<connections {
                done.enter()
                Thread {
                    let mine = Array(messages.dropFirst(lane * perLane).prefix(perLane))
                    let outcomes = transport.send(mine, lane: lane)
                    failures.add(outcomes.filter { if case .delivered = $0 { false } else { true } }.count, ordering: .relaxed)
                    done.leave()
                }.start()
            }
            done.wait()
            return failures.load(ordering: .relaxed)
        }
    }

    /// POSTs `count` signed copies of `bodyFile` with `connections` connections; returns requests/s.
    static func webhook(url: String, connections: Int, count: Int, bodyFile: String) throws -> Double {
        let secret = "whsec_" + Data((0..<24).map { UInt8($0) }).base64EncodedString()
        let transport = try WebhookTransport(settings: WebhookSettings(url: url, secret: secret, maxConnections: connections))
        defer { transport.close() }
        let body = try Data(contentsOf: URL(fileURLWithPath: bodyFile))
        return try timed(count) {
            var failures = 0
            for start in stride(from: 0, to: count, by: 256) {
                let requests = (start..<min(start + 256, count)).map { WebhookRequest(id: "bench_\($0)", body: body) }
                failures += transport.send(requests).filter { if case .delivered = $0 { false } else { true } }.count
            }
            return failures
        }
    }

    /// Runs `send` (which returns its failures) and returns messages per second; any failure is an error.
    private static func timed(_ count: Int, _ send: () -> Int) throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        let failures = send()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        guard failures == 0 else { throw BenchError("\(failures) of \(count) not delivered") }
        return Double(count) / seconds
    }
}
