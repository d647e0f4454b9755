import Foundation

/// A real PostgreSQL server (Debian's, installed by `scripts/setup.sh`) started by
/// `Tests/servers/postgres_server.py` in a fresh folder on a free loopback port, with trust
/// authentication for the role `lembra`. Stopped, and its folder removed, on deinit; it also
/// stops by itself if the test process dies.
public final class PostgresTestServer: @unchecked Sendable {
    private let directory: TemporaryDirectory
    private let server: ServerProcess

    public var port: Int { server.port }
    /// `postgres://lembra@127.0.0.1:<port>/postgres`.
    public var url: String { "postgres://lembra@127.0.0.1:\(port)/postgres" }
    /// The server's log, for diagnosing failures.
    public var log: String { (try? String(contentsOf: server.logFile, encoding: .utf8)) ?? "" }

    /// `settings`: `name=value` pairs for `postgres -c`; `port`: listen there (one picked
    /// beforehand with `FreePort`) rather than on a free port of the server's choosing.
    public init(settings: [String] = [], port: Int? = nil) throws {
        directory = try TemporaryDirectory("lembra-pg")
        // The server runs as the `postgres` user when the tests run as root: it must reach its folder.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.url.path)
        let arguments = [RepositoryPaths.servers.appendingPathComponent("postgres_server.py").path, "--dir", directory.url.path]
            + settings.flatMap { ["--setting", $0] } + (port.map { ["--port", String($0)] } ?? [])
        server = try ServerProcess(RepositoryPaths.python, arguments, logFile: directory.url.deletingLastPathComponent()
            .appendingPathComponent("\(directory.url.lastPathComponent).log"), startTimeout: 60)
    }

    deinit { try? FileManager.default.removeItem(at: server.logFile) }

    /// Stops the server and removes its folder and log now, for a server that is never released
    /// (one kept for the whole test run: statics are not deinitialised at exit).
    public func stopAndRemove() {
        stop()
        try? FileManager.default.removeItem(at: directory.url)
        try? FileManager.default.removeItem(at: server.logFile)
    }

    /// Dumps the database of `url` to `file` with `pg_dump` (its custom format), as an operator's
    /// nightly backup would.
    public func dump(to file: URL) throws {
        try ShellCommand.run(Self.tool("pg_dump"), ["-Fc", "-f", file.path, "-d", url])
    }

    /// Puts `file` back over the database with `pg_restore`, each object dropped and made again.
    public func restore(from file: URL) throws {
        try ShellCommand.run(Self.tool("pg_restore"), ["--clean", "--if-exists", "--single-transaction", "-d", url, file.path])
    }

    /// A client program of the newest PostgreSQL installed (the one `postgres_server.py` runs).
    private static func tool(_ name: String) throws -> URL {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        guard let newest = versions.compactMap(Int.init).max() else { throw ShellCommand.Failure(description: "no PostgreSQL under /usr/lib/postgresql") }
        return URL(fileURLWithPath: "/usr/lib/postgresql/\(newest)/bin/\(name)")
    }

    /// Stops the server (immediately, as a crash would) and waits until it has exited: the
    /// server goes when its wrapper does, and removes `postmaster.pid` last.
    public func stop() {
        server.stop()
        let pidFile = directory.path("data/postmaster.pid").path
        let deadline = Date().addingTimeInterval(30)
        while FileManager.default.fileExists(atPath: pidFile), Date() < deadline { usleep(20_000) }
    }
}
