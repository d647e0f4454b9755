import Foundation

/// The built `lembra` executable, run as a user would. `make test` builds it before the tests;
/// `LEMBRA_BIN` overrides the path.
public enum LembraBinary {
    public static var url: URL {
        if let path = ProcessInfo.processInfo.environment["LEMBRA_BIN"] { return URL(fileURLWithPath: path) }
        return RepositoryPaths.root.appendingPathComponent(".build/debug/lembra")
    }

    /// What one run printed and how it ended.
    public struct Result: Sendable, CustomStringConvertible {
        public let status: Int32
        public let stdout: String
        public let stderr: String
        public var description: String { "exit \(status)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)" }
    }

    /// Runs `lembra ARGS` to completion.
    public static func run(_ arguments: [String], environment: [String: String] = [:], umask: String? = nil) throws -> Result {
        let process = try start(arguments, environment: environment, umask: umask)
        return process.wait()
    }

    /// Starts `lembra ARGS` in the background (for daemons, signals and kill -9). `umask` (octal,
    /// e.g. "000"): run under that file-creation mask, set by a shell that then execs lembra.
    /// `unblockedSignals`: start with no signal blocked, as systemd starts a service, through a
    /// Python that clears the mask and then execs lembra. Without it lembra inherits the mask of
    /// the test's thread, which may block them all already.
    public static func start(_ arguments: [String], environment: [String: String] = [:], umask: String? = nil,
                             unblockedSignals: Bool = false) throws -> RunningLembra {
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw ShellCommand.Failure(description: "\(url.path) is missing: run `swift build` (make test does) first")
        }
        if unblockedSignals {
            let exec = "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execv(sys.argv[1], sys.argv[1:])"
            return try RunningLembra(RepositoryPaths.python, ["-c", exec, url.path] + arguments, environment: environment)
        }
        guard let umask else { return try RunningLembra(url, arguments, environment: environment) }
        return try RunningLembra(URL(fileURLWithPath: "/bin/sh"), ["-c", "umask \(umask) && exec \"$0\" \"$@\"", url.path] + arguments,
                                 environment: environment)
    }
}

/// A `lembra` process started in the background, with its output collected into files (a pipe
/// left unread could block the child).
public final class RunningLembra: @unchecked Sendable {
    public let process = Process()
    private let output: TemporaryDirectory

    init(_ executable: URL, _ arguments: [String], environment: [String: String]) throws {
        output = try TemporaryDirectory("lembra-run")
        _ = FileManager.default.createFile(atPath: output.path("out").path, contents: nil)
        _ = FileManager.default.createFile(atPath: output.path("err").path, contents: nil)
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NOTIFY_SOCKET")
        env.removeValue(forKey: "JOURNAL_STREAM")
        env.removeValue(forKey: "LEMBRA_CONFIG")
        process.environment = env.merging(environment) { $1 }
        process.standardOutput = try FileHandle(forWritingTo: output.path("out"))
        process.standardError = try FileHandle(forWritingTo: output.path("err"))
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    public var stdout: String { (try? String(contentsOf: output.path("out"), encoding: .utf8)) ?? "" }
    public var stderr: String { (try? String(contentsOf: output.path("err"), encoding: .utf8)) ?? "" }
    /// The file its stderr goes to, for a helper process that waits on the log.
    public var stderrFile: URL { output.path("err") }

    /// Sends a signal (SIGTERM, SIGHUP, SIGKILL...).
    public func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }

    public func wait() -> LembraBinary.Result {
        process.waitUntilExit()
        return LembraBinary.Result(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }

    /// Polls `condition` every 20 ms until it holds or `timeout` passes; returns whether it held.
    /// For waiting on another process's progress, where there is no event to block on.
    public static func waitUntil(timeout: Double = 20, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() } }
}
