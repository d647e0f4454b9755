import Foundation
import Testing
import TestSupport

/// The shipped unit, as far as it can be checked without systemd running: a bad config stops
/// the main process with 78, which the unit never restarts (`scripts/check-systemd.sh` runs
/// `systemd-analyze verify` and `security` on the unit itself).
struct SystemdUnitTests {
    static let unitText = { () -> String in
        (try? String(contentsOf: RepositoryPaths.root.appendingPathComponent("systemd/lembra.service"), encoding: .utf8)) ?? ""
    }()

    /// Every `Key=value` of the unit for `key`, in order.
    static func values(_ key: String) -> [String] {
        unitText.split(separator: "\n").compactMap { line in
            line.hasPrefix(key + "=") ? String(line.dropFirst(key.count + 1)) : nil
        }
    }

    /// systemd's `RestartPreventExitStatus=` applies to the main process only: the config must be
    /// checked there, not in an `ExecStartPre=` whose failure `Restart=on-failure` would restart
    /// forever.
    @Test func aBadConfigIsRefusedByTheMainProcessWhichIsNeverRestarted() throws {
        #expect(Self.values("ExecStartPre").isEmpty, "a failing ExecStartPre= is restarted whatever its status: \(Self.values("ExecStartPre"))")
        let start = try #require(Self.values("ExecStart").first)
        #expect(start.contains("lembra run"), "\(start)")
        #expect(Self.values("RestartPreventExitStatus").flatMap { $0.split(separator: " ") }.contains("78"))
        #expect(Self.values("Restart") == ["on-failure"])

        // Any other failure stops after a few starts: the limit must be reachable with restarts
        // RestartSec= apart (systemd's default, 5 in 10 s, never is with RestartSec=10s).
        let burst = try #require(Self.values("StartLimitBurst").first.flatMap { Int($0) })
        let window = try #require(Self.values("StartLimitIntervalSec").first.flatMap(Self.seconds))
        let restartSec = try #require(Self.values("RestartSec").first.flatMap(Self.seconds))
        #expect(Double(burst - 1) * restartSec < window, "\(burst) starts \(restartSec) s apart never fit in \(window) s")
    }

    /// `lembra run`, the unit's main process, checks the config as check-config does: every
    /// problem located, exit 78, and never `READY=1`.
    @Test func runExits78OnABadConfigBeforeItIsReady() throws {
        let f = try Fixture()
        let good = try String(contentsOfFile: f.configPath, encoding: .utf8)
        try good.replacingOccurrences(of: "tick: 1s", with: "tick: soon").write(toFile: f.configPath, atomically: true, encoding: .utf8)
        let notify = try NotifySocket(in: f.dir)
        let result = try LembraBinary.run(["run", "--config", f.configPath], environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "1000000"])
        #expect(result.status == 78, "\(result)")
        #expect(result.stderr.contains("\(f.configPath):3:7: tick: expected a duration"), "\(result)")
        #expect(notify.waitFor(timeout: 0.5) { $0 == "READY=1" } == nil, "\(notify.messages)")
    }

    /// `10s`, `10min`, `1h` or bare seconds, as the unit writes them.
    static func seconds(_ text: String) -> Double? {
        for (suffix, factor) in [("min", 60.0), ("s", 1), ("h", 3600)] where text.hasSuffix(suffix) {
            return Double(text.dropLast(suffix.count)).map { $0 * factor }
        }
        return Double(text)
    }
}
