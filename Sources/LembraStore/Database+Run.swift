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
    /// `DatabaseError` with SQLite's code and message, as GRDB would have thrown. Text and blobs
    /// are not copied by SQLite (`stepBinding`).
    ///
    /// Only for statements without rows to read, and never for transaction control (GRDB must
    /// see `BEGIN`/`COMMIT` itself).
    @discardableResult
    func run(_ sql: String, _ values: [BoundValue]) throws -> Int {
        let statement = try cachedStatement(sql: sql).sqliteStatement
        precondition(values.count == sqlite3_bind_parameter_count(statement), "a value for every parameter of \(sql)")
        sqlite3_reset(statement)
        let (code, message) = Self.stepBinding(values[...], to: statement)
        guard code == SQLITE_DONE else { throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql) }
        return Int(sqlite3_changes(sqliteConnection))
    }

    /// The rowid of the row this connection inserted last, from SQLite itself: GRDB's
    /// `lastInsertedRowID` first checks that it runs on the database's queue (1% of the claim's
    /// profile, an attempt row at a time). Only inside a write, after `run`.
    var insertedRowID: Int64 { sqlite3_last_insert_rowid(sqliteConnection) }

    /// Binds `values` to the parameters from `values.startIndex + 1` on, steps the statement,
    /// and leaves it reset with no value bound; returns the step's code and, if it failed,
    /// SQLite's message. Text and blobs are bound where they are (`SQLITE_STATIC`), not copied
    /// by SQLite (`SQLITE_TRANSIENT` cost a malloc and a copy per value, 2.4% of the ledger's
    /// CPU in the profile); their bytes stay put only inside `withUTF8` / `withUnsafeBytes`, so
    /// the step runs inside those calls, one per such value, nested, and the bindings are
    /// cleared before the innermost returns: no pointer outlives its value.
    ///
    /// Text is bound up to its first NUL, as `-1` (GRDB's way) binds it: a value written here
    /// must match the same value looked up through GRDB.
    private static func stepBinding(_ values: ArraySlice<BoundValue>, to statement: OpaquePointer) -> (Int32, String?) {
        guard let value = values.first else { return step(statement) }
        let index = Int32(values.startIndex + 1), rest = values.dropFirst()
        switch value {
        case .text(var v) where !v.isEmpty:
            return v.withUTF8 { bytes in
                let length = bytes.firstIndex(of: 0) ?? bytes.count
                sqlite3_bind_text(statement, index, bytes.baseAddress, Int32(length), nil)
                return stepBinding(rest, to: statement)
            }
        case .blob(let v) where !v.isEmpty:
            return v.withUnsafeBytes { bytes in
                sqlite3_bind_blob(statement, index, bytes.baseAddress, Int32(bytes.count), nil)
                return stepBinding(rest, to: statement)
            }
        case .integer(let v): sqlite3_bind_int64(statement, index, v)
        case .real(let v): sqlite3_bind_double(statement, index, v)
        case .text: sqlite3_bind_text(statement, index, "", 0, transient)  // an empty buffer's address may be nil: NULL
        case .blob: sqlite3_bind_zeroblob(statement, index, 0)  // a NULL pointer would bind NULL
        case .null: sqlite3_bind_null(statement, index)
        }
        return stepBinding(rest, to: statement)
    }

    /// Steps the bound statement once, reads SQLite's message if that failed (it is defined only
    /// right after the failing call), then resets the statement and clears its bindings.
    private static func step(_ statement: OpaquePointer) -> (Int32, String?) {
        let code = sqlite3_step(statement)
        let message = code == SQLITE_DONE ? nil : String(cString: sqlite3_errmsg(sqlite3_db_handle(statement)))
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
        return (code, message)
    }

    /// SQLite copies the bytes before the call returns (`SQLITE_TRANSIENT`, a macro Swift can't import).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
