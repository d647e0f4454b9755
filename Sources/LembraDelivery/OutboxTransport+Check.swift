import Foundation

extension OutboxTransport {
    /// Whether messages can be written: creates the maildir's folders if needed, then writes and
    /// removes a probe file in `tmp/`. nil when it worked, else an `io` failure naming the step.
    public static func check(directory: URL) -> DeliveryError? {
        let fm = FileManager.default
        let probe = directory.appendingPathComponent("tmp").appendingPathComponent(".lembra-check-\(getpid())")
        do {
            for sub in ["tmp", "new", "cur"] {
                try fm.createDirectory(at: directory.appendingPathComponent(sub), withIntermediateDirectories: true)
            }
            try PrivateFile.write(Data(), to: probe.path)
            try fm.removeItem(at: probe)
            return nil
        } catch {
            return .io("cannot write into \(directory.path): \(error.localizedDescription)")
        }
    }
}
