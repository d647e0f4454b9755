import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One daemon per database: an exclusive `flock` on `<database>.lock` beside the real file (the
/// path with every symbolic link resolved), holding the owner's pid. Two configs naming one
/// ledger through different paths (a link to the file, or to its folder) take the same lock. The
/// kernel drops the lock when the process dies, so a crash never leaves a stale lock.
public final class DatabaseLock: Sendable {
    private let fd: Int32
    public let path: String
    /// Whether this process created the lock file. One that was already there is a previous run's:
    /// a sign that a ledger existed here, even if its database file is now missing.
    public let createdFile: Bool

    /// Why the lock could not be taken.
    public struct Held: Error, CustomStringConvertible {
        public var path: String
        public var pid: String
        public var description: String { "another lembra (pid \(pid)) is running on this database (lock \(path))" }
    }

    public init(database: String) throws {
        path = DatabaseLock.path(for: database)
        let created = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        createdFile = created >= 0
        fd = created >= 0 ? created : open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path]) }
        if createdFile { _ = fchmod(fd, 0o600) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            close(fd)
            throw Held(path: path, pid: holder?.isEmpty == false ? holder! : "unknown")
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pid.withCString { write(fd, $0, strlen($0)) }
    }

    deinit { close(fd) }

    /// The lock file of `database`: `.lock` added to its real path.
    public static func path(for database: String) -> String { realPath(database) + ".lock" }

    /// `path` with every symbolic link resolved, as far as it exists: a database not created yet
    /// resolves through its folder.
    public static func realPath(_ path: String) -> String {
        if let resolved = realpath(path, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        let url = URL(fileURLWithPath: path)
        let parent = url.deletingLastPathComponent().path
        guard parent != url.path else { return path }
        return URL(fileURLWithPath: realPath(parent)).appendingPathComponent(url.lastPathComponent).path
    }
}
