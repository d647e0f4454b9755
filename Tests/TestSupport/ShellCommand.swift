import Foundation

/// Runs a short-lived helper program (Python's e-mail parser, `openssl`) to completion and
/// returns its stdout; a non-zero exit throws with its stderr so test failures explain themselves.
public enum ShellCommand {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    @discardableResult
    public static func run(_ executable: URL, _ arguments: [String], input: Data? = nil) throws -> Data {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let stdout = Pipe(), stderr = Pipe(), stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        try process.run()
        if let input {
            // The helpers read all their input before writing, so this cannot deadlock.
            try stdin.fileHandleForWriting.write(contentsOf: input)
            try stdin.fileHandleForWriting.close()
        }
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let name = ([executable.lastPathComponent] + arguments.prefix(2)).joined(separator: " ")
            throw Failure(description: "\(name) exited \(process.terminationStatus): "
                + String(decoding: errors, as: UTF8.self))
        }
        return output
    }
}
