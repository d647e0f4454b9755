import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// The ingress as a service of the daemon's `ServiceGroup`, beside the tick: it binds, reports
/// the port (the daemon is READY only after that), fills the Pix txid index in the background,
/// and serves until the group shuts it down gracefully (no new connections; requests in flight
/// are committed and answered).
///
/// Failing to bind throws `IngressServer.StartFailure`: the daemon stops before READY, since
/// payments the operator expects within seconds must not silently wait for a CSV. A failure
/// after that is logged (`ingress_failed`) and the service ends; the daemon goes on ticking.
public final class IngressListener: Service, Sendable {
    let server: IngressServer
    let onListening: @Sendable (Int) -> Void
    private let listening = Atomic<Bool>(false)

    init(server: IngressServer, onListening: @escaping @Sendable (Int) -> Void) {
        self.server = server; self.onListening = onListening
    }

    public func run() async throws {
        // Hummingbird's own log lines would go to stdout in another format: ours are the log.
        let quiet = Logger(label: "lembra.ingress", factory: { _ in SwiftLogNoOpLogHandler() })
        let app = server.application(logger: quiet) { [self] channel in
            listening.store(true, ordering: .releasing)
            server.indexPixTxids()
            onListening(channel.localAddress?.port ?? 0)
        }
        do {
            try await app.run()
        } catch {
            let settings = server.settings
            guard listening.load(ordering: .acquiring) else {
                throw IngressServer.StartFailure(description: "cannot listen on \(settings.host):\(settings.port): \(error)")
            }
            // Cancelled with the daemon (its ledger unusable): not a failure of the listener.
            if !Task.isCancelled { server.log(true, "ingress_failed", [("error", "\(error)")]) }
        }
    }
}
