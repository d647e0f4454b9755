import Foundation

/// A value for one parameter of a statement bound straight to SQLite (`Database.run(_:_:)`).
/// A closed set of the column types the ledger writes, so binding is a switch, not GRDB's
/// conversion of each `DatabaseValueConvertible` existential into a `DatabaseValue`.
enum BoundValue {
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)
    case null

    static func text(_ value: String?) -> BoundValue { value.map { .text($0) } ?? .null }
    static func real(_ value: Double?) -> BoundValue { value.map { .real($0) } ?? .null }
    static func bool(_ value: Bool) -> BoundValue { .integer(value ? 1 : 0) }
}
