import Dispatch
import Foundation
import LembraPostgres
import LembraStore

/// The ledger `lembra run` works on (the daemon, or one tick), opened the way its backend
/// needs: a SQLite file under the daemon's lock (one daemon per file) and after a `quick_check`;
/// a PostgreSQL database without one (several daemons share it; the ledger leases work to each),
/// under this daemon's own id (`PostgresLedger.holdDaemonID`).
public struct DaemonLedger: Sendable {
    public let backend: any LedgerBackend
    /// The SQLite file's lock, held as long as this is; nil on PostgreSQL.
    public let lock: DatabaseLock?
}

extension CommandContext {
    /// Opens the ledger for `lembra run`, creating it (and its folder) on the first start. With
    /// `waitUnless`, a PostgreSQL database that can't be reached yet is waited for (see
    /// `connectWaiting`); nil when that flag was set meanwhile (the daemon was stopped).
    public func openDaemonLedger(waitUnless stop: StopFlag? = nil) throws(CommandFailure) -> DaemonLedger? {
        guard let settings = config.postgres else { return try openSQLiteDaemonLedger() }
        // The progress file's folder (systemd's StateDirectory= creates it under the shipped unit).
        try? FileManager.default.createDirectory(atPath: config.stateDirectory, withIntermediateDirectories: true)
        do {
            guard let ledger = try connectWaiting(settings, unless: stop) else { return nil }
            // A predecessor killed a moment ago may still hold the id until the server sees its
            // connection close: wait that long, not a lease.
            try ledger.holdDaemonID(waitingUpTo: 10)
            return DaemonLedger(backend: ledger, lock: nil)
        } catch { throw CommandContext.failure(error) }
    }

    /// Connects to the shared ledger. A daemon (`stop` given) started while the database is down
    /// or restarting waits for it, trying again after 1 s, 2 s, … up to 30 s, logging each miss
    /// and telling systemd (`STATUS=`, and more start-up time), until it answers or the daemon is
    /// stopped (then nil). Exiting instead would have systemd restart it a few times and give up
    /// (`StartLimitBurst=`) while the database is away, and every other daemon waits the same
    /// way. One tick (`--once`) and commands fail at once (75).
    private func connectWaiting(_ settings: PostgresLedgerSettings, unless stop: StopFlag?) throws(StoreError) -> PostgresLedger? {
        var delay = 1.0
        let notifier = SystemdNotifier()
        while true {
            do { return try PostgresLedger(settings) } catch where error.kind == .busy && stop != nil {
                log.log(.warning, "ledger_unavailable", ["error": error.description, "retry_in": "\(Int(delay))s"])
                notifier.notify("STATUS=waiting for the PostgreSQL ledger\nEXTEND_TIMEOUT_USEC=\(Int((delay + 30) * 1_000_000))")
                let until = DispatchTime.now() + delay
                while DispatchTime.now() < until {
                    if stop?.isSet == true { return nil }
                    usleep(50_000)
                }
                delay = min(delay * 2, 30)
            }
        }
    }

    private func openSQLiteDaemonLedger() throws(CommandFailure) -> DaemonLedger {
        // The lock before the ledger: opening migrates the schema, which must never happen
        // under a running (perhaps older) daemon that this run will then refuse to join.
        // A first start creates the ledger's directory, which the lock file goes in too.
        let database = config.database
        try? FileManager.default.createDirectory(at: URL(fileURLWithPath: database).deletingLastPathComponent(), withIntermediateDirectories: true)
        let lock: DatabaseLock
        do { lock = try DatabaseLock(database: database) } catch let held as DatabaseLock.Held {
            throw CommandFailure(.temporaryFailure, [held.description])
        } catch {
            throw CommandFailure(.cannotCreate, ["cannot create the lock file next to \(database): \(error)"])
        }
        // Opening may migrate the schema and the check reads every page: minutes on a large
        // file, past systemd's start timeout (90 s by default), so ask for ten more minutes.
        SystemdNotifier().notify("STATUS=opening the ledger (schema upgrade, integrity check)\nEXTEND_TIMEOUT_USEC=600000000")
        // The daemon's first start creates the ledger. One that fails leaves no lock file
        // behind, which the next start would take for the trace of a deleted ledger.
        let ledger: SQLiteLedger
        do throws(CommandFailure) { ledger = try openSQLiteLedger(create: true, lock: lock) } catch {
            if lock.createdFile, !FileManager.default.fileExists(atPath: database) { try? FileManager.default.removeItem(atPath: lock.path) }
            throw error
        }
        try quickCheck(ledger)
        SystemdNotifier().notify("STATUS=ledger open, first tick running")
        return DaemonLedger(backend: ledger, lock: lock)
    }

    /// SQLite's `quick_check` before anything is claimed: a damaged ledger may no longer refuse a
    /// second claim, so the daemon refuses it (exit 69). Logged with its duration, which grows
    /// with the file (it reads every page).
    private func quickCheck(_ ledger: SQLiteLedger) throws(CommandFailure) {
        let started = DispatchTime.now().uptimeNanoseconds
        do { try ledger.quickCheck() } catch { throw CommandContext.failure(error) }
        log.log(.info, "ledger_checked", ["ms": (DispatchTime.now().uptimeNanoseconds - started) / 1_000_000])
    }
}
