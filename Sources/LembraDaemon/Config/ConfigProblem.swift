/// One problem in a config file, located for an editor: `FILE:LINE:COL: message`.
public struct ConfigProblem: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String
    /// Warnings are printed but don't fail `check-config`.
    public var isWarning: Bool

    public init(file: String, line: Int, column: Int, message: String, isWarning: Bool = false) {
        self.file = file; self.line = line; self.column = column; self.message = message; self.isWarning = isWarning
    }

    public var description: String { "\(file):\(line):\(column): \(isWarning ? "warning: " : "")\(message)" }
}

/// A config that can't be used, with every problem found (not just the first).
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var problems: [ConfigProblem]
    public init(_ problems: [ConfigProblem]) { self.problems = problems }
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
