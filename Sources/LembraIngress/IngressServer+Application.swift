import Hummingbird
import Logging
import NIOCore

extension IngressServer {
    /// The Hummingbird application serving `router()` on the configured address. Kept apart
    /// from starting and stopping it: how the server is built (plain HTTP today) changes for
    /// other reasons than how the daemon runs it.
    func application(logger: Logger, onServerRunning: @escaping @Sendable (any Channel) async -> Void)
        -> Application<RouterResponder<BasicRequestContext>> {
        Application(
            router: router(), configuration: ApplicationConfiguration(address: .hostname(settings.host, port: settings.port)),
            onServerRunning: onServerRunning, logger: logger)
    }
}
