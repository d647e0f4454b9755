/// Why a server refused a write as read-only (SQLSTATE 25006). The two causes look alike to the
/// statement but not to the operator: a standby passes by itself (the next connection, with the
/// URL's `target_session_attrs=read-write`, finds the new primary), a read-only setting on a
/// primary fails every tick until someone turns it off. libpq knows which from what the server
/// reports of the session (`in_hot_standby`, `default_transaction_read_only`: PostgreSQL 14 and
/// later), so no query is needed on a connection that just failed.
public enum ReadOnlyCause: Sendable, Equatable {
    /// The server is a standby: the old primary after a failover.
    case standby
    /// A primary whose sessions start read-only: the role, the database or the server is set
    /// `default_transaction_read_only`.
    case readOnlyDefault
    /// Neither reported on: a server before PostgreSQL 14, which reports neither, or a cause
    /// Lembra does not bring about itself (a transaction made read-only by hand).
    case unknown

    /// From the session's reported `in_hot_standby` and `default_transaction_read_only` (nil
    /// when the server did not report it).
    public init(inHotStandby: String?, defaultReadOnly: String?) {
        if inHotStandby == "on" {
            self = .standby
        } else if defaultReadOnly == "on" {
            self = .readOnlyDefault
        } else {
            self = .unknown
        }
    }
}
