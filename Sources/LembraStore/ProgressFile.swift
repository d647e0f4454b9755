import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The ledger's progress file (`<database>.progress`; on PostgreSQL, which has no local file to
/// put it beside, `<state_directory>/progress`): a line as each message of a batch is about to
/// be marked `sending`, as its transfer starts and once it has ended (3. below), so that after
/// the process dies (SIGKILL, the OOM killer, the watchdog) the next tick knows, for each
/// attempt the ledger still calls `sending`, whether it was answered (and how), cut short on the
/// wire, or never started. Without it the whole batch is in doubt; with it, only what was on the
/// wire.
///
/// Why a file beside the ledger, and not the ledger: a commit costs an `fsync` (about 3,300 a
/// second here), and a batch of messages pays one; two more per message would make the ledger
/// the bottleneck, while an appended line costs one `write(2)` (about a microsecond) and no sync. That is durable enough for this: once `write(2)` returns, the line is
/// in the kernel's page cache and outlives the process. It does not outlive a reboot, so the
/// header carries the boot id and a file from another boot is not trusted (`ProgressRecord`).
/// It lives in the store because it is a second record of the ledger's attempts, keyed by
/// attempt id and holding the outcomes the ledger was about to commit, read with the ledger at
/// recovery; the transports only report their transfers (`TransferEvents`) and know nothing of it.
///
/// The order that makes it exact (the tick's lanes keep it):
/// 1. `prepared` before the commit that marks the batch `sending`: an attempt the ledger calls
///    `sending` and the file only `prepared` never went out; one the file does not mention was
///    marked without it (another file, or none), and only the ledger's batch rule applies.
/// 2. `started` after the mark is durable, right before the transfer may reach the network.
/// 3. `finished` after the transfer ended, before its outcome is committed, and before the lane
///    waits for anything. A lane writes the outcomes it decided since its last write together
///    with its next `started` line when it starts the next message at once (one write instead
///    of two: writes per message are what a tick pays for this file), and on their own before it
///    waits (for replies, or for a `rate:`) or after its batch.
///
/// One file per tick: the tick opens it after recovery committed what the previous one said,
/// and opening removes the previous file, so the file never speaks of an older tick's tries.
/// It is created afresh, 0600 whatever the umask (it holds attempt ids and error texts).
///
/// A line that can't be written (a full disk) removes the file: the next recovery falls back to
/// the batch rule, and sending goes on. Should the file not be removable either, no transfer
/// may start (`started` says false) for the rest of the tick: a file with a line missing could
/// call a message that went out "never started"; and the next tick, unable to remove it, stops
/// (`init` throws). Safe to use from the tick's lane threads.
public final class ProgressFile: Sendable {
    public let path: String
    private let fd: Int32
    private let state: Atomic<UInt8>
    /// The first problem met, for the tick to log once.
    private let problem: Mutex<String?>

    private enum State: UInt8 {
        /// Lines are appended.
        case recording
        /// No file: nothing is recorded, and transfers go ahead (recovery uses the batch rule).
        case off
        /// A file that may mislead could not be removed: no transfer may start.
        case broken
    }

    /// The path of the progress file of the ledger at `database`.
    public static func path(forDatabase database: String) -> String { database + ".progress" }

    /// This boot's id (`/proc/sys/kernel/random/boot_id`), read once; nil when it can't be read
    /// (then nothing is recorded and recovery always uses the batch rule).
    public static let currentBootID: String? = {
        guard let text = try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8) else { return nil }
        let id = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return id.isEmpty || id.contains(where: \.isWhitespace) ? nil : id
    }()

    /// Removes the previous progress file of the ledger at `database` and starts a new one for
    /// this boot (`bootID`; nil records nothing). A new file that can't be created leaves none
    /// (see `failure`). Throws only when the previous file can't be removed: it would speak for
    /// this tick's attempts after a crash.
    public convenience init(database: String, bootID: String?) throws(StoreError) {
        try self.init(path: Self.path(forDatabase: database), bootID: bootID)
    }

    /// As `init(database:bootID:)`, for the progress file at `path`: a PostgreSQL ledger has no
    /// local file to put it beside, so its daemon keeps it in its state directory.
    public init(path: String, bootID: String?) throws(StoreError) {
        self.path = path
        if unlink(path) != 0, errno != ENOENT {
            throw StoreError(.unavailable, "remove \(path)", "\(Self.lastError()); the last tick's progress file must go before anything is sent")
        }
        var fd: Int32 = -1
        var state = State.off
        var problem: String?
        if let bootID {
            fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0o600)
            let error = fd < 0 ? Self.lastError() : fchmod(fd, 0o600) != 0 ? Self.lastError()
                : Self.write(fd, Array(ProgressLine.encode(ProgressLine.header(bootID: bootID)).utf8))
            if let error {
                problem = "cannot create \(path): \(error)"
                if fd >= 0 { close(fd); fd = -1 }
                if unlink(path) != 0, errno != ENOENT { state = .broken }
            } else {
                state = .recording
            }
        } else {
            problem = "the boot id is unreadable (/proc/sys/kernel/random/boot_id): after a crash, batches in flight are in doubt"
        }
        self.fd = fd
        self.state = Atomic(state.rawValue)
        self.problem = Mutex(problem)
    }

    deinit { if fd >= 0 { close(fd) } }

    /// The first problem met (the file could not be created, written or removed), if any.
    public var failure: String? { problem.withLock { $0 } }

    /// The attempts about to be marked `sending` (one write for the batch).
    public func prepared(_ ids: [String]) {
        guard !ids.isEmpty, state.load(ordering: .relaxed) == State.recording.rawValue else { return }
        var text: [UInt8] = []
        text.reserveCapacity(ids.count * 40)
        for id in ids { ProgressLine.encode(ProgressLine.prepared(id), into: &text) }
        _ = append(text)
    }

    /// Attempt `id` is about to reach the network, and the transfers of `finished` ended with
    /// their outcomes (written first, in the same write). False: it must not start (see the
    /// type's doc).
    public func started(_ id: String, after finished: [(id: String, outcome: AttemptOutcome)] = []) -> Bool {
        var text = Self.lines(finished)
        ProgressLine.encode(ProgressLine.started(id), into: &text)
        return append(text)
    }

    /// The transfers of `outcomes` ended with them, not yet committed (one write; none when empty).
    public func finished(_ outcomes: [(id: String, outcome: AttemptOutcome)]) {
        guard !outcomes.isEmpty else { return }
        _ = append(Self.lines(outcomes))
    }

    private static func lines(_ outcomes: [(id: String, outcome: AttemptOutcome)]) -> [UInt8] {
        var text: [UInt8] = []
        text.reserveCapacity((outcomes.count + 1) * 48)
        for (id, outcome) in outcomes { ProgressLine.encode(ProgressLine.finished(id, outcome), into: &text) }
        return text
    }

    /// Appends `line`; true when what it announces may go ahead: written, or no file is kept.
    private func append(_ line: [UInt8]) -> Bool {
        switch State(rawValue: state.load(ordering: .acquiring)) {
        case .recording:
            guard let error = Self.write(fd, line) else { return true }
            return giveUp("cannot write \(path): \(error)")
        case .off: return true
        case .broken, nil: return false
        }
    }

    /// Removes the file after a failed write, so no recovery trusts it; if that fails too, stops
    /// every transfer. Returns whether transfers may go on.
    private func giveUp(_ why: String) -> Bool {
        let removed = unlink(path) == 0 || errno == ENOENT
        problem.withLock { $0 = $0 ?? (removed ? why : "\(why); cannot remove it either (\(Self.lastError())): nothing is sent until it is") }
        state.store(removed ? State.off.rawValue : State.broken.rawValue, ordering: .releasing)
        return removed
    }

    /// One `write(2)` of `text`; the error, or nil when every byte was written.
    private static func write(_ fd: Int32, _ text: [UInt8]) -> String? {
        text.withUnsafeBufferPointer { bytes in
            var n: Int
            repeat { n = Glibc.write(fd, bytes.baseAddress, bytes.count) } while n < 0 && errno == EINTR
            return n == bytes.count ? nil : n < 0 ? lastError() : "short write (\(n) of \(bytes.count) bytes)"
        }
    }

    private static func lastError() -> String { String(cString: strerror(errno)) }
}
