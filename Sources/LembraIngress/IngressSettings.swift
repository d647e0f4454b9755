import LembraDelivery

/// `ingress:` — the HTTP listener for payment confirmations (see `IngressServer`).
public struct IngressSettings: Sendable {
    /// Address to listen on; loopback by default: a PSP reaches it through a reverse proxy.
    public var host: String = "127.0.0.1"
    /// Port to listen on; 0 lets the system pick one (logged at start: `event=ingress_listening`).
    public var port: Int = 8089
    /// Largest request body accepted, in bytes; a larger one is answered 413 unread.
    public var maxBody: Int = 64 * 1024
    /// Verifies `POST /payments` (Standard Webhooks, `whsec_` secret).
    public var payments: StandardWebhooks
    /// The bearer token `POST /pix` must carry (`authorization: Bearer <token>`, added by the
    /// proxy that checks the PSP's client certificate); nil: the Pix routes are not served. Needed
    /// under mutual TLS too: a client CA vouches for every certificate it signed, not only the
    /// PSP's, and anyone holding one could otherwise post payments for the txids customers see.
    public var pixToken: String?
    /// `tls:` — nil: plain HTTP (loopback behind a proxy that terminates TLS).
    public var tls: IngressTLS?
    /// The payment promise page; nil: `/promise` is not served and messages have no `promise_link`.
    public var promise: PromiseSettings?

    public init(payments: StandardWebhooks) { self.payments = payments }
}
