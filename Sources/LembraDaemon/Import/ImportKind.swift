/// The three kinds of CSV Lembra reads.
public enum ImportKind: String, Sendable, CaseIterable {
    case customers, debts, payments

    /// The inbox picks a file's kind from its name: `customers-2026-11-20.csv`.
    public init?(fileName: String) {
        guard fileName.hasSuffix(".csv") else { return nil }
        guard let kind = ImportKind.allCases.first(where: { fileName.hasPrefix("\($0.rawValue)-") || fileName == "\($0.rawValue).csv" }) else { return nil }
        self = kind
    }
}
