import Dispatch
import Foundation
import Hummingbird
import HTTPTypes
import LembraCore
import LembraStore
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// The payments HTTP ingress: `GET /healthz`, `POST /payments` (Standard Webhooks signed) and
/// `POST /pix`, `POST /pix/pix` (the BCB Pix API webhook, with a bearer token a proxy adds or,
/// under mutual TLS, the PSP's verified client certificate). A confirmation is answered 200
/// only once it is committed to the ledger.
///
/// Runs on Hummingbird's event loops inside a `ServiceGroup` of its own, beside the daemon's
/// Dispatch run loop; `stop` shuts it down gracefully (no new connections, requests in flight
/// finish and are answered). The ledger's calls block (SQLite, fsync), so they never run on an
/// event loop: they run one at a time on `ledgerQueue`, and the handler awaits them.
public final class IngressServer: Sendable {
    /// Why the listener could not start (the address in use, or not an address of this host).
    public struct StartFailure: Error, CustomStringConvertible {
        public let description: String
    }

    let settings: IngressSettings
    let ledger: Ledger
    let now: @Sendable () -> Date
    let log: IngressLog
    let metrics: any IngressMetrics
    let ledgerQueue = DispatchQueue(label: "lembra.ingress.ledger")
    private let group: Mutex<ServiceGroup?> = Mutex(nil)
    /// Signalled when the server is bound, or when it stopped (before being bound: a failure).
    private let started = DispatchSemaphore(value: 0)
    private let boundPort: Mutex<Int?> = Mutex(nil)
    private let stopped = Mutex<(done: Bool, error: String?, waiters: [@Sendable () -> Void])>((false, nil, []))

    public init(settings: IngressSettings, ledger: Ledger, now: @escaping @Sendable () -> Date, metrics: any IngressMetrics,
                log: @escaping IngressLog) {
        self.settings = settings; self.ledger = ledger; self.now = now; self.metrics = metrics; self.log = log
    }

    /// Binds and starts serving; blocks the calling thread (never an event loop) until the port
    /// is bound, and returns it. Then fills the Pix txid index in the background.
    public func start() throws(StartFailure) -> Int {
        // Hummingbird's own log lines would go to stdout in another format: ours are the log.
        let quiet = Logger(label: "lembra.ingress", factory: { _ in SwiftLogNoOpLogHandler() })
        let app = application(logger: quiet) { [self] channel in
            boundPort.withLock { $0 = channel.localAddress?.port ?? 0 }
            started.signal()
        }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [app], logger: quiet))
        self.group.withLock { $0 = group }
        Task.detached { [self] in
            var failure: String? = nil
            do { try await group.run() } catch { failure = "\(error)" }
            let waiters = stopped.withLock { state in
                state.done = true; state.error = failure
                defer { state.waiters = [] }
                return state.waiters
            }
            started.signal()
            // After it was listening: the confirmations now wait for a CSV or `lembra pay`.
            if let failure, boundPort.withLock({ $0 }) != nil { log(true, "ingress_failed", [("error", failure)]) }
            for waiter in waiters { waiter() }
        }
        started.wait()
        guard let port = boundPort.withLock({ $0 }) else {
            let error = stopped.withLock { $0.error } ?? "stopped before listening"
            throw StartFailure(description: "cannot listen on \(settings.host):\(settings.port): \(error)")
        }
        ledgerQueue.async { [ledger, log] in
            do throws(StoreError) { try ledger.indexPixTxids() } catch { log(true, "ingress_failed", [("operation", "index pix txids"), ("error", error.description)]) }
        }
        return port
    }

    /// Stops listening gracefully; `then` runs (on some thread) once every request in flight is answered.
    public func stop(then: @escaping @Sendable () -> Void) {
        let done = stopped.withLock { state in
            if !state.done { state.waiters.append(then) }
            return state.done
        }
        if done { then(); return }
        if let group = group.withLock({ $0 }) { Task { await group.triggerGracefulShutdown() } }
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("healthz") { _, _ in Self.answer(.ok, ["result": "ok"]) }
        router.post("payments") { [self] request, _ in await payments(request) }
        if settings.servesPix {
            for path in ["pix", "pix/pix"] {
                router.post(RouterPath(path)) { [self] request, _ in await pix(request, token: settings.pixToken) }
            }
        }
        if let promise = settings.promise {
            router.get("promise") { [self] request, _ in await promisePage(request, settings: promise) }
            router.post("promise") { [self] request, _ in await promiseSubmit(request, settings: promise) }
        }
        return router
    }

    func payments(_ request: Request) async -> Response {
        let route = "/payments"
        var request = request
        do throws(IngressRejection) {
            let body = try await collect(&request)
            try SignedRequest(id: request.headers[.webhookID], timestamp: request.headers[.webhookTimestamp],
                              signature: request.headers[.webhookSignature]).verify(body: body, with: settings.payments, now: now())
            return await record([try PaymentConfirmation.parse(body)], source: "payments_webhook", route: route)
        } catch {
            return rejected(error, route: route)
        }
    }

    /// `token` nil: the TLS handshake already verified the PSP's client certificate (`servesPix`).
    func pix(_ request: Request, token: String?) async -> Response {
        let route = request.uri.path
        var request = request
        do throws(IngressRejection) {
            if let token, !BearerToken.matches(request.headers[.authorization], token: token) {
                throw IngressRejection(.badToken, "authorization: Bearer <token> required")
            }
            return await record(try PixNotification.parse(try await collect(&request)), source: "pix", route: route)
        } catch {
            return rejected(error, route: route)
        }
    }

    /// The body, at most `maxBody` bytes.
    func collect(_ request: inout Request) async throws(IngressRejection) -> Data {
        do {
            return Data(try await request.collectBody(upTo: settings.maxBody).readableBytesView)
        } catch let error as HTTPResponseError where error.status == .contentTooLarge {
            throw IngressRejection(.tooLarge, "the body is larger than \(settings.maxBody) bytes")
        } catch {
            throw IngressRejection(.badBody, "the body could not be read")
        }
    }

    /// Records the payments on the ledger's queue, in order, and answers once all are committed.
    /// A ledger failure (busy past its timeout, disk full) is a 503: the sender retries later,
    /// and what was committed before it is a duplicate then.
    func record(_ payments: [IncomingPayment], source: String, route: String) async -> Response {
        let (ledger, now, log, metrics) = (self.ledger, self.now, self.log, self.metrics)
        let result: Result<[String], StoreError> = await withCheckedContinuation { done in
            ledgerQueue.async {
                done.resume(returning: Result { () throws(StoreError) -> [String] in
                    try payments.map { payment throws(StoreError) -> String in
                        let outcome = try ledger.receive(payment, source: source, now: now())
                        Self.log(outcome, payment, source: source, to: log)
                        metrics.ingressPayment(result: outcome.result)
                        return outcome.result
                    }
                })
            }
        }
        switch result {
        case .success(let results): return Self.answer(.ok, ["result": results.isEmpty ? "none" : results.joined(separator: ",")])
        case .failure(let error):
            log(true, "ingress_failed", [("route", route), ("error", error.description)])
            return Self.answer(.serviceUnavailable, ["error": "the ledger is unavailable; retry later"])
        }
    }

    func rejected(_ rejection: IngressRejection, route: String) -> Response {
        log(true, "ingress_rejected", [("route", route), ("reason", rejection.reason.rawValue)])
        return Self.answer(HTTPResponse.Status(code: rejection.status), ["error": rejection.message])
    }

    static func log(_ outcome: IngressOutcome, _ payment: IncomingPayment, source: String, to log: IngressLog) {
        switch outcome {
        case .recorded(let debt, let settled):
            log(false, "ingress_payment", [("debt", debt), ("reference", payment.reference), ("amount_cents", "\(payment.amount.cents)"),
                                           ("source", source), ("settled", "\(settled)")])
        case .duplicate(let debt):
            log(false, "ingress_duplicate", [("debt", debt), ("reference", payment.reference)])
        case .unmatched(let reason, let new):
            let target = switch payment.target { case .debt(let id): ("debt", id); case .pixTxid(let txid): ("txid", txid) }
            log(true, "ingress_unmatched", [target, ("reference", payment.reference), ("reason", reason.rawValue), ("new", "\(new)")])
        }
    }

    static func answer(_ status: HTTPResponse.Status, _ fields: [String: String]) -> Response {
        let json = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: json + Data("\n".utf8))))
    }
}
