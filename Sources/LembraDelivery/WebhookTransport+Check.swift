import Foundation

extension WebhookTransport {
    /// POSTs a `lembra.ping` event, signed like every real event (Standard Webhooks), so the
    /// receiver checks the URL, TLS, the secret and the static headers: nil on a 2xx, else the
    /// failure as a send would report it. The body is `{"type":"lembra.ping","attempt_id":ID}`
    /// with a fresh `ping_` id (also the `webhook-id`); receivers should answer 2xx and do nothing.
    public static func ping(_ settings: WebhookSettings) -> DeliveryError? {
        do throws(DeliveryError) {
            let transport = try WebhookTransport(settings: settings)
            defer { transport.close() }
            let id = "ping_" + UUID().uuidString.lowercased()
            let body = Data(#"{"type":"lembra.ping","attempt_id":"\#(id)"}"#.utf8)
            switch transport.send([WebhookRequest(id: id, body: body)]).first {
            case .delivered?: return nil
            case .retry(let e, _)?, .failed(let e)?, .unknown(let e)?: return e
            case nil: return .config("no outcome")
            }
        } catch {
            return error
        }
    }
}
