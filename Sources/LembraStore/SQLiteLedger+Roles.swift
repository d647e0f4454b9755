extension SQLiteLedger: LedgerClaims, LedgerControls, LedgerImports, LedgerReports {
    /// A ledger file deleted or replaced while open is no longer the ledger: see `checkFile()`.
    public func checkUsable() throws(StoreError) { try checkFile() }
}
