/// sysexits(3) codes, so scripts and systemd (`RestartPreventExitStatus=78`) can tell failures apart.
public enum ExitStatus: Int32, Sendable {
    case ok = 0
    case usage = 64
    case dataError = 65
    case unavailable = 69
    case cannotCreate = 73
    case temporaryFailure = 75
    case configError = 78
}

/// A command failure: what to print on stderr and the exit status.
public struct CommandFailure: Error, Sendable {
    public var status: ExitStatus
    public var lines: [String]
    public init(_ status: ExitStatus, _ lines: [String]) { self.status = status; self.lines = lines }
}
