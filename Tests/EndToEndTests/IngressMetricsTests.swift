import Foundation
import Testing
import TestSupport

/// The ingress's counters reach the metrics file (`metrics_file:`) at the tick after the traffic:
/// every answer by route and status, every confirmed payment by result.
struct IngressMetricsTests {
    @Test func answersAndPaymentsAreCountedInTheMetricsFileAtTheNextTick() throws {
        let dir = try TemporaryDirectory()
        let metrics = dir.path("lembra.prom").path
        let i = try IngressTests.Ingress(extraConfig: "metrics_file: \(metrics)")
        #expect(try i.healthz().hasPrefix("200 "))
        #expect(try i.healthz().hasPrefix("200 "))
        #expect(try i.post("/payments", IngressTests.confirmation("d0", cents: "10000", reference: "E2E-m0")).status == 200)
        #expect(try i.post("/payments", IngressTests.confirmation("d0", cents: "10000", reference: "E2E-m0")).status == 200)
        #expect(try i.post("/payments", IngressTests.confirmation("nope", cents: "500", reference: "E2E-m1")).status == 200)
        #expect(try i.post("/payments", IngressTests.confirmation("d1", cents: "10100", reference: "E2E-m2"), tamper: true).status == 401)
        #expect(try i.post("/nowhere", "{}", sign: false).status == 404)
        let expected = [
            #"lembra_ingress_requests_total{route="/healthz",status="200"} 2"#,
            #"lembra_ingress_requests_total{route="/payments",status="200"} 3"#,
            #"lembra_ingress_requests_total{route="/payments",status="401"} 1"#,
            #"lembra_ingress_requests_total{route="other",status="404"} 1"#,
            #"lembra_ingress_payments_total{result="recorded"} 1"#,
            #"lembra_ingress_payments_total{result="duplicate"} 1"#,
            #"lembra_ingress_payments_total{result="unmatched"} 1"#,
        ]
        let written = RunningLembra.waitUntil {
            let text = (try? String(contentsOfFile: metrics, encoding: .utf8)) ?? ""
            return expected.allSatisfy { text.contains($0 + "\n") }
        }
        #expect(i.stop() == 0, "\(i.daemon.stderr)")
        let text = (try? String(contentsOfFile: metrics, encoding: .utf8)) ?? ""
        #expect(written, "every count, after a tick:\n\(text)")
        #expect(!text.contains("E2E-") && !text.contains("d0"), "no references or debt ids in labels")
    }
}
