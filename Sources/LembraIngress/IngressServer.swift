import Dispatch
import Foundation
import Hummingbird
import HTTPTypes
import LembraCore
import LembraStore
import Logging
import NIOCore

/// The payments HTTP ingress: `GET /healthz`, `POST /payments` (Standard Webhooks signed) and
/// `POST /pix`, `POST /pix/pix` (the BCB Pix API webhook, with a bearer token a proxy adds or,
/// under mutual TLS, the PSP's verified client certificate). A confirmation is answered 200
/// only once it is committed to the ledger.
///
/// Runs on Hummingbird's event loops as a service of the daemon's `ServiceGroup`, beside the tick
/// (see `listener`). The ledger's calls block (SQLite, fsync), so they never run on an event loop
/// or the cooperative pool: they run one at a time on `ledgerQueue`, and the handler awaits them.
public final class IngressServer: Sendable {
    /// Why the listener could not start (the address in use, or not an address of this host).
    public struct StartFailure: Error, CustomStringConvertible {
        public let description: String
    }

    let settings: IngressSettings
    let ledger: any LedgerControls
    let now: @Sendable () -> Date
    let log: IngressLog
    let metrics: any IngressMetrics
    let ledgerQueue = DispatchQueue(label: "lembra.ingress.ledger")

    public init(settings: IngressSettings, ledger: any LedgerControls, now: @escaping @Sendable () -> Date, metrics: any IngressMetrics,
                log: @escaping IngressLog) {
        self.settings = settings; self.ledger = ledger; self.now = now; self.metrics = metrics; self.log = log
    }

    /// The listener, for the daemon's `ServiceGroup` (see `IngressListener`); `onListening`
    /// gets the port once it is bound.
    public func listener(onListening: @escaping @Sendable (Int) -> Void) -> IngressListener {
        IngressListener(server: self, onListening: onListening)
    }

    /// Fills the Pix txid index on the ledger's queue, in the background.
    func indexPixTxids() {
        ledgerQueue.async { [ledger, log] in
            do throws(StoreError) { try ledger.indexPixTxids() } catch { log(true, "ingress_failed", [("operation", "index pix txids"), ("error", error.description)]) }
        }
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("healthz") { _, _ in Self.answer(.ok, ["result": "ok"]) }
        router.post("payments") { [self] request, _ in await payments(request) }
        if let token = settings.pixToken {
            for path in ["pix", "pix/pix"] {
                router.post(RouterPath(path)) { [self] request, _ in await pix(request, token: token) }
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

    func pix(_ request: Request, token: String) async -> Response {
        let route = request.uri.path
        var request = request
        do throws(IngressRejection) {
            guard BearerToken.matches(request.headers[.authorization], token: token) else {
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
