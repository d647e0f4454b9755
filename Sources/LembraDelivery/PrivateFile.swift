import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Files that hold personal data (a stored e-mail, an import's error report quoting its rows),
/// written readable by their owner only: 0600 whatever the umask, which `Data.write` would apply
/// to 0666 (LGPD). A symbolic link in their place is never followed.
public enum PrivateFile {
    /// Writes `data` to `path`, replacing what is there.
    public static func write(_ data: Data, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure(path) }
        defer { close(fd) }
        guard fchmod(fd, 0o600) == 0 else { throw failure(path) }
        try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < bytes.count {
                let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw failure(path) }
                offset += n
            }
        }
    }

    private static func failure(_ path: String) -> CocoaError {
        CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSLocalizedDescriptionKey: "\(path): \(String(cString: strerror(errno)))"])
    }
}
