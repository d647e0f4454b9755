import CSQLite
import Foundation
import GRDB

extension Database {
    /// Runs a cached write statement with `values` bound straight to SQLite and returns the
    /// number of rows it changed. For the tick's hottest statements (a claim's inserts, the
    /// `sending` mark, the outcome): GRDB's `execute(arguments:)` wraps every value in an
    /// existential, converts it, and does its own bookkeeping around each step, which the
    /// profile put at about a fifth of the ledger's CPU per statement. The statement is still
    /// GRDB's (prepared once, cached by its SQL) and runs in GRDB's transaction; a failure is a
    /// `DatabaseError` with SQLite's code and message, as GRDB would have thrown.
    ///
    /// Only for statements without rows to read, and never for transaction control (GRDB must
    /// see `BEGIN`/`COMMIT` itself).
    @discardableResult
    func run(_ sql: String, _ values: [BoundValue]) throws -> Int {
        let statement = try cachedStatement(sql: sql).sqliteStatement
        precondition(values.count == sqlite3_bind_parameter_count(statement), "a value for every parameter of \(sql)")
        sqlite3_reset(statement)
        for (index, value) in zip(Int32(1)..., values) { Self.bind(value, at: index, to: statement) }
        let code = sqlite3_step(statement)
        guard code == SQLITE_DONE else {
            let message = String(cString: sqlite3_errmsg(sqliteConnection))
            sqlite3_reset(statement)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
        }
        sqlite3_reset(statement)
        return Int(sqlite3_changes(sqliteConnection))
    }

    private static func bind(_ value: BoundValue, at index: Int32, to statement: OpaquePointer) {
        switch value {
        case .integer(let v): _ = sqlite3_bind_int64(statement, index, v)
        case .real(let v): _ = sqlite3_bind_double(statement, index, v)
        case .text(let v): _ = sqlite3_bind_text(statement, index, v, -1, transient)
        case .blob(let v) where v.isEmpty: _ = sqlite3_bind_zeroblob(statement, index, 0)  // a NULL pointer would bind NULL
        case .blob(let v): _ = v.withUnsafeBytes { sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count), transient) }
        case .null: _ = sqlite3_bind_null(statement, index)
        }
    }

    /// SQLite copies the bytes before the call returns (`SQLITE_TRANSIENT`, a macro Swift can't import).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
