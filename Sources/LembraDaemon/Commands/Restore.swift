import Foundation
import LembraCore
import LembraStore

/// `lembra restore FILE`: installs a backup as the ledger without re-sending what went out after
/// it was taken.
///
/// A backup knows nothing of the messages sent after it: put back as it is, the daemon would send
/// them all again. So the copy first records as in doubt (reason `restored`, never sent again
/// blindly, listed by `status`) every attempt still pending in it and every step the planner
/// finds due between the backup's time and now (see `Planner.mayHaveGoneOut`). Only then is it
/// renamed over the database, in one step, while holding the daemon's lock; the ledger it
/// replaces is kept beside it.
public struct Restore {
    public let context: CommandContext

    public init(context: CommandContext) { self.context = context }

    /// Restores `file` and says what was recorded. On PostgreSQL, records a database already put
    /// back from a dump taken at `since` (`PostgresRestore`).
    public func run(backup file: String?, since: String? = nil) throws(CommandFailure) -> String {
        if let settings = context.config.postgres { return try PostgresRestore(context: context, settings: settings).run(since: since, file: file) }
        guard since == nil else {
            throw CommandFailure(.usage, ["restore: --since is for a PostgreSQL database put back from a dump; a SQLite backup carries its own time"])
        }
        guard let file else { throw CommandFailure(.usage, ["restore: name the backup to install (made by `lembra backup`)"]) }
        let database = context.config.database
        let real = DatabaseLock.realPath(database)
        try? FileManager.default.createDirectory(at: URL(fileURLWithPath: real).deletingLastPathComponent(), withIntermediateDirectories: true)
        let lock: DatabaseLock
        do { lock = try DatabaseLock(database: database) } catch let held as DatabaseLock.Held {
            throw CommandFailure(.temporaryFailure, ["\(held.description): stop it before restoring"])
        } catch {
            throw CommandFailure(.cannotCreate, ["cannot create the lock file next to \(database): \(error)"])
        }
        defer { withExtendedLifetime(lock) {} }
        do throws(CommandFailure) {
            return try restore(file, over: real)
        } catch {
            // A restore that failed leaves no lock file behind where no ledger is, which the next
            // start would take for the trace of a deleted one.
            if lock.createdFile, !FileManager.default.fileExists(atPath: real) { try? FileManager.default.removeItem(atPath: lock.path) }
            throw error
        }
    }

    private func restore(_ file: String, over real: String) throws(CommandFailure) -> String {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isFolder), !isFolder.boolValue else {
            throw CommandFailure(.dataError, ["\(file): no such file"])
        }
        let staging = real + ".restoring"
        defer { SQLiteLedger.remove(staging) }
        do { try SQLiteLedger.copy(file, to: staging) } catch { throw Self.notALedger(file, error) }
        let problems: [String]
        do { problems = try SQLiteLedger.check(path: staging) } catch { throw Self.notALedger(file, error) }
        // A count `status` shows that differs from the attempts is not damage: the copy is counted again below.
        let damage = problems.filter { !$0.hasPrefix(SQLiteLedger.countProblem) }
        guard damage.isEmpty else {
            let shown = damage.prefix(3).joined(separator: "; ")
            throw CommandFailure(.dataError, ["\(file): the backup is damaged (\(shown)); nothing restored"])
        }
        let ledger: SQLiteLedger
        do { ledger = try SQLiteLedger(path: staging) } catch { throw Self.notALedger(file, error) }
        if damage.count < problems.count {
            do { _ = try ledger.recountFinalStates() } catch { throw CommandContext.failure(error) }
        }
        let now = context.clock.now()
        var notes: [String] = []
        let takenAt: Date
        if let marked = ledger.backupTakenAt {
            takenAt = marked
        } else {
            guard DatabaseLock.realPath(file) != real else {
                throw CommandFailure(.dataError, ["\(file): this is the ledger in use, not a backup; nothing restored"])
            }
            do { takenAt = try ledger.lastChange() ?? now } catch { throw CommandContext.failure(error) }
            notes.append("\(file) carries no backup time (it was not made by `lembra backup`): its last recorded change, "
                         + "\(context.times.text(takenAt)), is taken as the time it was copied")
        }
        let recorded: (pending: Int, steps: Int)
        do {
            let planner = Planner(policy: context.config.policy)
            let messages = try ledger.openCases(now: now).flatMap { planner.mayHaveGoneOut($0, from: takenAt, through: now) }
            recorded = try ledger.recordRestored(mayHaveGoneOut: messages, now: now)
            try ledger.close()
        } catch { throw CommandContext.failure(error) }
        let kept = try Self.install(staging, at: real, now: now)
        return (notes + ["\(file) (taken at \(context.times.text(takenAt))) restored to \(context.config.database)"]
            + Self.summary(recorded, copy: "the backup", takenAt: takenAt, times: context.times)
            + (kept.map { ["the ledger it replaced is kept as \($0)"] } ?? [])).joined(separator: "\n") + "\n"
    }

    /// What a restore recorded, said alike for a SQLite backup and a PostgreSQL dump (`copy`).
    static func summary(_ recorded: (pending: Int, steps: Int), copy: String, takenAt: Date, times: TimeDisplay) -> [String] {
        ["in doubt since then (reason \(AttemptTransition.restoredReason)): \(recorded.pending) attempts pending in \(copy) and "
            + "\(recorded.steps) steps due since it was taken may have gone out; they are never sent again, `lembra status` lists them",
         "payments, imports, pauses and disputes recorded after \(times.text(takenAt)) are not in \(copy): record them again"]
    }

    /// Moves the database there (and its `-wal` and `-shm`, which belong to it and must never
    /// meet another file) aside, then renames `staging` over it: one rename, so the path never
    /// holds a half-restored ledger. Returns where the old one went, if there was one.
    ///
    /// Run as root (`sudo lembra restore`), the copy is given the owner of the database's folder
    /// first, so the service's own user (systemd's `DynamicUser`, who owns its `StateDirectory`)
    /// can open what root installed.
    static func install(_ staging: String, at real: String, now: Date) throws(CommandFailure) -> String? {
        let fm = FileManager.default
        var folder = stat()
        if geteuid() == 0, stat(URL(fileURLWithPath: real).deletingLastPathComponent().path, &folder) == 0 {
            _ = chown(staging, folder.st_uid, folder.st_gid)
        }
        let aside = real + ".before-restore-" + String(Int(now.timeIntervalSince1970))
        var kept: String?
        for suffix in ["", "-wal", "-shm", "-journal"] where fm.fileExists(atPath: real + suffix) {
            guard rename(real + suffix, aside + suffix) == 0 else {
                throw CommandFailure(.cannotCreate, ["cannot move \(real + suffix) aside: \(String(cString: strerror(errno))); nothing restored"])
            }
            kept = aside
        }
        guard rename(staging, real) == 0 else {
            throw CommandFailure(.cannotCreate, ["cannot rename \(staging) to \(real): \(String(cString: strerror(errno)))"])
        }
        let fd = open(URL(fileURLWithPath: real).deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { _ = fsync(fd); close(fd) }
        return kept
    }

    static func notALedger(_ file: String, _ error: StoreError) -> CommandFailure {
        let why = error.kind == .damaged ? "not an SQLite database, or a damaged one" : error.message
        return CommandFailure(.dataError, ["\(file): not a Lembra ledger that can be restored (\(why)); nothing restored"])
    }
}
