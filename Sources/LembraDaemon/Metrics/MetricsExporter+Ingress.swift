import CoreMetrics
import LembraIngress

/// The payments ingress's counters. Like the others, they reach the metrics file when it is
/// written, after each tick.
extension MetricsExporter: IngressMetrics {
    /// `lembra_ingress_requests_total{route,status}`.
    public func ingressResponse(route: String, status: Int) {
        CoreMetrics.Counter(label: "lembra_ingress_requests_total", dimensions: [("route", route), ("status", "\(status)")], factory: factory)
            .increment()
    }

    /// `lembra_ingress_payments_total{result="recorded"|"duplicate"|"unmatched"}`.
    public func ingressPayment(result: String) {
        CoreMetrics.Counter(label: "lembra_ingress_payments_total", dimensions: [("result", result)], factory: factory).increment()
    }
}
