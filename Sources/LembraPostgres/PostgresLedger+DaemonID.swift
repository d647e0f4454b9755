import Foundation
import LembraStore

extension PostgresLedger {
    /// Takes this daemon's id (`settings.owner`) for as long as the process lives: a session
    /// advisory lock on a connection of its own, which PostgreSQL releases when the process dies
    /// (its connection closes). Waits up to `seconds` for a predecessor's connection to go.
    ///
    /// Why: a daemon started again under the same id takes back at once what its predecessor
    /// left — its `sending` attempts, settled exactly with the progress file on this host, and the
    /// customers it had leased — instead of waiting for their leases to run out. That is safe
    /// only if no live process has the id: two daemons sharing one would recover each other's
    /// sends while on the wire. So a second daemon with a taken id is refused (`.busy`, exit 75).
    public func holdDaemonID(waitingUpTo seconds: Double) throws(StoreError) {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let connection: PostgresConnection
            do { connection = try open() } catch { throw Self.storeError(error) }
            if try lockDaemonID(on: connection) {
                daemonIDHolder.withLock { $0 = connection }
                try releaseOwnLeases()
                return
            }
            guard Date() < deadline else {
                throw StoreError(.busy, "take daemon_id \(settings.owner)",
                                 "another daemon is running with daemon_id \(settings.owner); give each daemon its own (postgres.daemon_id)")
            }
            usleep(200_000)
        }
    }

    /// Checks, between ticks, that this daemon still holds its id. PostgreSQL drops the lock with
    /// the connection (a server restart, a network cut): it is then taken again. While it is held
    /// elsewhere — another daemon under the same id, or this daemon's own old session the server
    /// has not yet seen die (its keepalives end it within about a minute) — the tick fails
    /// (`.busy`) and sends nothing: both would act as the owner of the same sends. A server still
    /// down is `.busy` too. Either way the next tick tries again.
    func checkDaemonID() throws(StoreError) {
        guard let holder = daemonIDHolder.withLock({ $0 }) else { return }
        do {
            try holder.query("SELECT 1", operation: "check daemon_id")
            return
        } catch where holder.isOpen {
            throw Self.storeError(error)
        } catch {}
        let connection: PostgresConnection
        do { connection = try open() } catch { throw Self.storeError(error) }
        guard try lockDaemonID(on: connection) else {
            throw StoreError(.busy, "check daemon_id \(settings.owner)",
                             "daemon_id \(settings.owner) is held by another session since the connection to the database was lost; "
                             + "nothing is sent until it is this daemon's again (another daemon with the same id, or the old session not yet ended)")
        }
        daemonIDHolder.withLock { $0 = connection }
    }

    /// Gives the id up (its connection closes, as when the process ends), for the next process.
    public func releaseDaemonID() {
        daemonIDHolder.withLock { $0 = nil }
    }

    private func lockDaemonID(on connection: PostgresConnection) throws(StoreError) -> Bool {
        do {
            return try connection.query("SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS taken", ["lembra daemon " + settings.owner],
                                        operation: "take daemon_id")[0]["taken"] == "t"
        } catch { throw Self.storeError(error) }
    }

    /// The customers this id had leased when its previous process died: planned again now.
    /// Only leases still held (`lease_until` set): `lease_owner` stays after a release, naming
    /// the last planner, so without that condition this would rewrite and lock every customer
    /// this id ever planned, in table order, at each start.
    private func releaseOwnLeases() throws(StoreError) {
        _ = try withConnection("release a predecessor's leases") { c throws(PostgresError) in
            try c.query("UPDATE customers SET lease_until = NULL WHERE lease_owner = $1 AND lease_until IS NOT NULL", [settings.owner],
                        operation: "release a predecessor's leases")
        }
    }
}
