import LembraCore
@testable import LembraDaemon
import Testing

/// `status`'s open total: one amount per currency, the business's first, never one sum.
struct OpenTotalTests {
    @Test func currenciesAreNotAddedUp() {
        let text = Reports.openTotal(["": 1_000, "USD": 100_000, "BRL": 500], locale: .ptBR, currency: "BRL")
        #expect(text == "R$ 15,00 + \(Money(cents: 100_000).formatted(currency: "USD", locale: .ptBR))")
    }

    @Test func nothingOpenIsZeroInTheBusinessCurrency() {
        #expect(Reports.openTotal([:], locale: .ptBR, currency: "BRL") == "R$ 0,00")
    }
}
