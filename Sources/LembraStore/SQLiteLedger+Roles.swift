extension SQLiteLedger: LedgerClaims, LedgerControls, LedgerImports, LedgerReports {
    /// A ledger file deleted or replaced while open is no longer the ledger: see `checkFile()`.
    public func checkUsable() throws(StoreError) { try checkFile() }

    /// One daemon per SQLite file (its lock): every `sending` mark is this one's.
    public func markedByAnotherDaemon(_ ids: [String]) throws(StoreError) -> Set<String> { [] }
}
