import Foundation

/// Paths inside the repository, derived from this file's location so tests run from any directory.
public enum RepositoryPaths {
    /// The repository root (the folder holding Package.swift).
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The Python interpreter of the test virtualenv made by `scripts/setup.sh`.
    public static var python: URL { root.appendingPathComponent(".venv/bin/python") }

    /// The Python scripts of the test servers.
    public static var servers: URL { root.appendingPathComponent("Tests/servers") }
}
