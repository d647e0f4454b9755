import LembraStore

/// The ledger's roles a tick uses: claims and outcomes, the inbox's imports, and the reports its
/// metrics read. Controls (pause, pay, …) come from the commands and the ingress, never the tick.
public typealias TickLedger = LedgerClaims & LedgerImports & LedgerReports
