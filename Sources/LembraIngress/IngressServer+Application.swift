import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore

extension IngressServer {
    /// The Hummingbird application serving `router()` on the configured address, every answer
    /// counted for the metrics. Kept apart from starting and stopping it: how the server is
    /// built (plain HTTP or TLS) changes for other reasons than how the daemon runs it.
    func application(logger: Logger, onServerRunning: @escaping @Sendable (any Channel) async -> Void)
        -> Application<CountingResponder<RouterResponder<BasicRequestContext>>> {
        Application(
            responder: CountingResponder(wrapped: router().buildResponder(), metrics: metrics), server: server,
            configuration: ApplicationConfiguration(address: .hostname(settings.host, port: settings.port)),
            onServerRunning: onServerRunning, logger: logger)
    }

    /// HTTP/1.1, over TLS when `tls:` is set. The TLS context was already built once from the
    /// same certificates when the config was read, so building it again here does not fail in
    /// practice; if it did, the listener would not start and the daemon would say why.
    var server: HTTPServerBuilder {
        guard let tls = settings.tls else { return .http1() }
        return HTTPServerBuilder { responder in try TLSChannel(HTTP1Channel(responder: responder), tlsConfiguration: tls.configuration) }
    }
}
