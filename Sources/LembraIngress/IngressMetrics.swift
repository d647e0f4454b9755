/// Where the ingress counts what it answered, for the daemon's metrics file: a route, a status
/// code, a payment's result, never an id, a body or a secret (unlike `IngressLog`, every request
/// is counted, so a load balancer's health checks do not fill the log).
public protocol IngressMetrics: Sendable {
    /// One answered request: `route` is a path the ingress serves (`/healthz`, `/pix`, …) or `other`.
    func ingressResponse(route: String, status: Int)
    /// One payment of a confirmation committed to the ledger: `recorded`, `duplicate` or `unmatched`.
    func ingressPayment(result: String)
}
