import Foundation
import Testing
import TestSupport

/// The shipped unit and the README's install steps, as far as they can be checked without
/// systemd running: a bad config stops the main process with 78 (which the unit never restarts),
/// and the credentials the README creates are the ones the example config needs, loaded the way
/// the unit's `LoadCredential=` lines load them (`scripts/check-systemd.sh` runs
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

    /// The progress file trusts only what this boot wrote, by the kernel's boot id: the unit must
    /// leave `/proc/sys/kernel/random/boot_id` readable (`ProcSubset=pid` hides it, and every
    /// crash would leave whole batches in doubt again).
    @Test func theUnitLeavesTheBootIDReadable() {
        #expect(!Self.values("ProcSubset").contains("pid"))
        #expect(!Self.values("InaccessiblePaths").contains { $0.contains("/proc") })
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

    /// The README's install steps create the secrets (run as written, with /etc/lembra moved into a
    /// scratch folder and without sudo); the unit's `LoadCredential=` lines load them as systemd
    /// does; check-config then accepts the example config, both under the unit and when run by
    /// hand as the README says.
    @Test func theReadmeCreatesEverySecretTheExampleConfigNamesAndTheUnitLoadsThem() throws {
        let readme = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("README.md"), encoding: .utf8)
        let deploy = try #require(ReadmeTourTests.section("## Deploy with systemd", of: readme))
        let block = try #require(ReadmeTourTests.firstShellBlock(in: deploy))
        let dir = try TemporaryDirectory("lembra-deploy")
        let etc = dir.path("etc/lembra").path
        try FileManager.default.createDirectory(atPath: etc, withIntermediateDirectories: true)
        let steps = block.split(separator: "\n").filter { $0.hasPrefix("sudo install") && $0.contains("/etc/lembra/credentials") }
            .map { $0.replacingOccurrences(of: "sudo ", with: "").replacingOccurrences(of: "/etc/lembra", with: etc) }
        #expect(steps.count >= 2, "the README creates the credentials folder and the secrets: \(block)")
        try ShellCommand.run(URL(fileURLWithPath: "/bin/bash"), ["-c", "set -euo pipefail\n" + steps.joined(separator: "\n")])

        let credentials = dir.path("credentials")
        try Self.loadCredentials(into: credentials, etc: etc)
        let example = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("config/lembra.example.yaml"), encoding: .utf8)
        let templates = RepositoryPaths.root.appendingPathComponent("config/templates").path
        let config = try dir.write("etc/lembra/lembra.yaml",
                                   example.replacingOccurrences(of: "templates: /etc/lembra/templates", with: "templates: \(templates)"))
        let underSystemd = try LembraBinary.run(["check-config", "--config", config.path], environment: ["CREDENTIALS_DIRECTORY": credentials.path])
        #expect(underSystemd.status == 0, "\(underSystemd)")
        let byHand = try LembraBinary.run(["check-config", "--config", config.path], environment: ["CREDENTIALS_DIRECTORY": etc + "/credentials"])
        #expect(byHand.status == 0, "\(byHand)")
    }

    /// What systemd makes of the unit's `LoadCredential=ID:PATH` lines (PATH under /etc/lembra
    /// moved to `etc`): a file becomes credential ID; a folder, one credential `ID_<file>` per
    /// file in it. A missing source is an issue, as it fails the unit's start.
    static func loadCredentials(into target: URL, etc: String) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: target, withIntermediateDirectories: true)
        for line in values("LoadCredential") {
            let parts = line.split(separator: ":", maxSplits: 1).map(String.init)
            #expect(parts.count == 2, "LoadCredential=\(line) names its source")
            guard parts.count == 2 else { continue }
            let source = parts[1].replacingOccurrences(of: "/etc/lembra", with: etc)
            var isFolder: ObjCBool = false
            guard fm.fileExists(atPath: source, isDirectory: &isFolder) else {
                Issue.record("LoadCredential=\(line): \(source) does not exist, so the unit would not start")
                continue
            }
            let files = isFolder.boolValue ? try fm.contentsOfDirectory(atPath: source).map { ("\(parts[0])_\($0)", source + "/" + $0) }
                                           : [(parts[0], source)]
            for (id, file) in files {
                try fm.copyItem(atPath: file, toPath: target.appendingPathComponent(id).path)
                try fm.setAttributes([.posixPermissions: 0o400], ofItemAtPath: target.appendingPathComponent(id).path)
            }
        }
    }

    /// `10s`, `10min`, `1h` or bare seconds, as the unit writes them.
    static func seconds(_ text: String) -> Double? {
        for (suffix, factor) in [("min", 60.0), ("s", 1), ("h", 3600)] where text.hasSuffix(suffix) {
            return Double(text.dropLast(suffix.count)).map { $0 * factor }
        }
        return Double(text)
    }
}
