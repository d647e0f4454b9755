import Foundation
import LembraCore
import LembraPostgres
import LembraStore

/// What every command needs: the config, the ledger and the clock, with failures mapped to
/// exit statuses and messages that name the file and the problem.
public struct CommandContext: Sendable {
    public let configPath: String
    public let config: LembraConfig
    public let log: Logfmt
    public let clock: Clock
    /// How the command's output and log show instants: the business's zone, or UTC (`--utc`).
    public let times: TimeDisplay

    /// Loads the config (printing warnings to stderr). `now` overrides the clock (`--now`);
    /// `utc` shows instants in UTC (`--utc`) instead of the business's zone.
    public init(configFlag: String?, now: String?, utc: Bool = false) throws(CommandFailure) {
        configPath = ConfigLoader.resolvePath(configFlag)
        var warnings: [ConfigProblem] = []
        do throws(ConfigError) {
            config = try ConfigLoader.load(configPath, warnings: &warnings)
        } catch {
            throw CommandFailure(.configError, error.problems.map(\.description))
        }
        for w in warnings { FileHandle.standardError.write(Data((w.description + "\n").utf8)) }
        times = TimeDisplay(timeZone: config.timeZone, utc: utc)
        log = Logfmt(times: times)
        clock = Clock(pinnedAt: try CommandContext.instant(now, timeZone: config.timeZone, flag: "--now"))
    }

    /// Opens the ledger the config names, SQLite or PostgreSQL, for a command that works through
    /// the ledger's roles. On SQLite, see `openSQLiteLedger`; a PostgreSQL ledger is connected to
    /// and migrated (a database that is down is exit 75: try again later).
    public func openLedger(create: Bool = false, acceptingBackup: Bool = false) throws(CommandFailure) -> any LedgerBackend {
        guard let settings = config.postgres else { return try openSQLiteLedger(create: create, acceptingBackup: acceptingBackup) }
        do { return try PostgresLedger(settings) } catch { throw CommandContext.failure(error) }
    }

    /// Refuses a command that only a SQLite ledger has (its file's backup and integrity check)
    /// when the ledger is on PostgreSQL: exit 64, and what to use there instead.
    public func requireSQLite(_ command: String, instead: String) throws(CommandFailure) {
        guard config.postgres != nil else { return }
        throw CommandFailure(.usage, ["\(command): the ledger is on PostgreSQL (`database:` in \(configPath)); \(instead)"])
    }

    /// Opens the SQLite ledger. Only `create` (the daemon's first start, an import) may start a new, empty
    /// one; every other command needs the data to exist, so a missing file is exit 69 naming the
    /// path rather than an empty report from a ledger that a typo in `database:` just created.
    /// `lock`: the daemon's, taken before the ledger is opened (see `openDaemonLedger`); a lock file it
    /// just created is no trace of an earlier ledger.
    ///
    /// A copy made by `lembra backup` and put back by hand is refused unless `acceptingBackup` (the
    /// commands that only read): it knows nothing of what went out since it was taken, and a
    /// daemon would send that again. `lembra restore` installs it safely.
    public func openSQLiteLedger(create: Bool = false, lock: DatabaseLock? = nil, acceptingBackup: Bool = false) throws(CommandFailure) -> SQLiteLedger {
        // A missing database next to the files a previous run left (its lock, WAL or shared
        // memory) was deleted or moved: an empty ledger in its place would re-send everything.
        // SQLite and the lock put those beside the real file, wherever links point.
        let database = config.database
        if !FileManager.default.fileExists(atPath: database) {
            let real = DatabaseLock.realPath(database)
            let traces = (lock?.createdFile == true ? [] : [DatabaseLock.path(for: database)]) + [real + "-wal", real + "-shm"]
            if let trace = traces.first(where: FileManager.default.fileExists(atPath:)) {
                throw CommandFailure(.unavailable, ["\(database): the database is missing, but \(trace) shows it existed: it was deleted or moved. "
                    + "Restore it from a backup; to start a new, empty ledger on purpose, delete \(trace) too"])
            }
            if !create {
                throw CommandFailure(.unavailable, ["\(database): no ledger here (the file does not exist). Check `database:` in \(configPath); "
                    + "`lembra import` or `lembra run` starts a new ledger"])
            }
        }
        let ledger: SQLiteLedger
        do { ledger = try SQLiteLedger(path: database, create: create) } catch { throw CommandContext.failure(error) }
        if let takenAt = ledger.backupTakenAt, !acceptingBackup {
            throw CommandFailure(.unavailable, [CommandContext.backupRefusal(database, takenAt: takenAt, times: times)])
        }
        return ledger
    }

    /// Why a command won't use a backup put back by hand, and what to do instead.
    static func backupRefusal(_ database: String, takenAt: Date, times: TimeDisplay) -> String {
        "\(database): this is a copy made by `lembra backup` at \(times.text(takenAt)), put back by hand: it does not know "
            + "what was sent since, and would send it again. Install it with `lembra restore FILE` (FILE: the backup, or this file), "
            + "which records what may have gone out since then as in doubt"
    }

    /// Parses an instant flag; nil passes through.
    public static func instant(_ text: String?, timeZone: TimeZone, flag: String) throws(CommandFailure) -> Date? {
        guard let text else { return nil }
        guard let date = Timestamp.parse(text, timeZone: timeZone) else {
            throw CommandFailure(.usage, ["\(flag): '\(text)' is not a date like 2026-11-20 or 2026-11-20T10:30:00-03:00"])
        }
        return date
    }

    /// Maps any failure of a command's work to its exit status and message.
    public static func failure(_ error: any Error) -> CommandFailure {
        if let f = error as? CommandFailure { return f }
        if let f = error as? CSVImporter.Failure { return CommandFailure(f.storeKind.map(status) ?? .dataError, f.lines) }
        guard let e = error as? StoreError else { return CommandFailure(.unavailable, ["\(error)"]) }
        return CommandFailure(status(e.kind), e.rowErrors.isEmpty ? [e.description] : e.rowErrors.map(\.description))
    }

    static func status(_ kind: StoreError.Kind) -> ExitStatus {
        switch kind {
        case .unavailable, .replaced, .damaged: .unavailable
        case .notFound, .invalid: .dataError
        case .busy: .temporaryFailure
        }
    }
}
