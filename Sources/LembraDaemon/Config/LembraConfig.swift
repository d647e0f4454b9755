import Foundation
import LembraCore
import LembraIngress
import LembraPostgres

/// The whole validated config. Every field is documented in `config/lembra.example.yaml`.
public struct LembraConfig: Sendable {
    /// Where the config was read from (relative paths in it are resolved against its folder).
    public var file: String
    /// The SQLite ledger's file, or the PostgreSQL ledger's URL (never with a password in it).
    public var database: String
    /// Folder watched for CSV files (customers-*.csv, debts-*.csv, payments-*.csv); nil disables it.
    public var inbox: String?
    /// Seconds between ticks.
    public var tick: Double
    /// The business's zone, used for customers without one.
    public var timeZone: TimeZone
    public var locale: MessageLocale
    public var currency: String
    /// Supplier identity every message carries (CDC art. 42-A).
    public var business: BusinessIdentity
    public var policy: CollectionPolicy
    /// Folder of `<locale>/<name>.mustache` templates.
    public var templatesDirectory: String
    /// The templates, parsed and checked.
    public var templates: TemplateSet
    public var channels: [String: ChannelConfig]
    public var paymentLink: PaymentLinkConfig?
    /// One-click unsubscribe page (RFC 8058), e.g. `https://empresa.com.br/sair/{{customer.id}}`;
    /// the business's page calls `lembra opt-out`. nil: no List-Unsubscribe header.
    public var unsubscribeURL: String?
    /// What to do with an e-mail that was being sent when the process died.
    public var inDoubt: InDoubtPolicy
    public var retry: RetryPolicy
    /// Prometheus text file written after each tick (node_exporter textfile collector); nil: none.
    public var metricsFile: String?
    /// Seconds to finish in-flight sends after SIGTERM.
    public var shutdownTimeout: Double
    /// Fine and interest added to overdue amounts in messages, Pix codes and signed links; nil:
    /// none (the amounts are the debts' open amounts).
    public var lateFees: LateFees? = nil
    /// The payments HTTP listener, started by the daemon (not `run --once`); nil: none.
    public var ingress: IngressSettings? = nil
    /// How to reach the PostgreSQL ledger (`database: postgres://…` and the `postgres:` block,
    /// the password read from its file); nil: the ledger is the SQLite file `database`.
    public var postgres: PostgresLedgerSettings? = nil
    /// `state_directory:` this daemon's own files when the ledger is on PostgreSQL (its progress
    /// file), which has no local file to keep them beside.
    public var stateDirectory: String = LembraConfig.defaultStateDirectory
}

extension LembraConfig {
    /// The outbox folders, for telling the user where the demo's e-mails went.
    public var outboxPaths: [String] {
        channels.values.compactMap { if case .outbox(let o) = $0 { o.path } else { nil } }.sorted()
    }
}

/// Who is collecting: printed in every message (CDC art. 42-A).
public struct BusinessIdentity: Sendable, Equatable {
    public var name: String
    /// CPF or CNPJ.
    public var document: String
    public var address: String
    public var replyTo: String?
}

/// `in_doubt:` — an e-mail may have arrived when the process died mid-send.
public enum InDoubtPolicy: String, Sendable {
    /// Don't send again; record it as in doubt for the operator (default: a duplicate is worse).
    case skip
    /// Send again with the same Message-ID (receivers may deduplicate on it).
    case resend
}

/// `retry:` — transient failures are retried with exponential backoff and jitter.
public struct RetryPolicy: Sendable, Equatable {
    /// Tries in all, the first included, before an attempt is dead.
    public var maxTries: Int = 5
    /// Delay before the first retry; doubles each time.
    public var baseDelay: Double = 300
    /// Longest delay between tries.
    public var maxDelay: Double = 6 * 3600

    /// The delay before try number `tries + 1`, with up to ±20% jitter from `random` in 0..<1.
    public func delay(afterTries tries: Int, random: Double) -> Double {
        let exp = min(maxDelay, baseDelay * pow(2, Double(max(0, tries - 1))))
        return exp * (0.8 + 0.4 * random)
    }
}

/// `payment_link:` — how the link in each reminder is made (a debt's own `payment_url` wins).
public enum PaymentLinkConfig: Sendable, Equatable {
    /// A URL template such as `https://pay.example/d/{{debt.id}}`, signed with HMAC-SHA256 and an
    /// expiry when a secret is configured, so a link can't be altered to another debt or amount.
    /// Held checked and split (at load), so each debt's link costs only the filling in and the MAC.
    case url(template: SignedLink.Template, secret: Data?, expiresIn: Double)
    /// A static Pix copia-e-cola BR Code per debt (amount and txid from the debt).
    case pix(PixMerchant)
}
