/// One step of a PostgreSQL schema: a name that says what it does (recorded once applied, never
/// renamed) and the script that makes it.
public struct PostgresMigration: Sendable {
    public let name: String
    public let script: String

    public init(_ name: String, _ script: String) { self.name = name; self.script = script }
}
