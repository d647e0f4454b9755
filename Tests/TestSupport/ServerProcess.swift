import Foundation

/// A test server running as a child process that announces readiness with one stdout line,
/// `READY <port>`. Waiting for that line (instead of sleeping) makes startup both fast and
/// race-free; its stderr goes to `logFile` so a failing test can show what the server said.
/// The process is killed and reaped by `stop()` or on deinit.
///
/// Killed with SIGKILL, not SIGTERM: a child started from a Dispatch worker thread inherits that
/// thread's signal mask, in which SIGTERM is blocked, so `Process.terminate()` would be ignored
/// and the wait would hang. Test servers keep no state worth a graceful shutdown.
public final class ServerProcess: @unchecked Sendable {
    public struct StartFailure: Error, CustomStringConvertible {
        public let description: String
    }

    public let port: Int
    public let logFile: URL
    private let process: Process
    private let stdout: Pipe

    /// Starts the program and blocks until it prints `READY <port>`, exits, or `startTimeout`
    /// seconds pass (the watchdog then kills it so a broken server cannot hang the test run).
    public init(_ executable: URL, _ arguments: [String], logFile: URL, startTimeout: Double = 20) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let stdout = Pipe()
        process.standardOutput = stdout
        guard FileManager.default.createFile(atPath: logFile.path, contents: nil) else {
            throw StartFailure(description: "cannot create \(logFile.path)")
        }
        process.standardError = try FileHandle(forWritingTo: logFile)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + startTimeout, execute: watchdog)
        defer { watchdog.cancel() }

        var buffer = Data()
        while !buffer.contains(UInt8(ascii: "\n")) {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break } // EOF: the server exited (or was killed by the watchdog)
            buffer.append(chunk)
        }
        let line = String(decoding: buffer, as: UTF8.self).split(separator: "\n").first ?? ""
        let parts = line.split(separator: " ")
        guard parts.count == 2, parts[0] == "READY", let port = Int(parts[1]) else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
            throw StartFailure(description: "\(executable.lastPathComponent) did not get ready: \(line)\n\(log)")
        }
        self.port = port
        self.process = process
        self.stdout = stdout
        self.logFile = logFile
    }

    /// Kills the server and waits until it has exited (and been reaped). Safe to call twice.
    public func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }
}
