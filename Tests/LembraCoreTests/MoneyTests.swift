import LembraCore
import Testing

@Suite struct MoneyTests {
    @Test(arguments: [
        ("1234.56", 123_456), ("1234.5", 123_450), ("1234", 123_400), ("0.05", 5), ("0", 0),
        ("9999999999999.99", 999_999_999_999_999),
    ] as [(String, Int64)])
    func parsesTheCSVForm(text: String, cents: Int64) {
        #expect(Money(decimal: text)?.cents == cents)
    }

    @Test(arguments: [
        "1.234,56", "1,234.56", "-1", "+1", "1e3", "", " 12", "12 ", "12.345", "12.", ".5", "1.2.3",
        "R$ 10", "١٢٣", "½", "99999999999999", "99999999999999999999.00",
    ])
    func rejectsAnythingElse(text: String) {
        #expect(Money(decimal: text) == nil)
    }

    @Test(arguments: [
        (123_456, MessageLocale.ptBR, "R$ 1.234,56"), (5, .ptBR, "R$ 0,05"), (100_000_000, .ptBR, "R$ 1.000.000,00"),
        (99_999, .ptBR, "R$ 999,99"), (100_000, .ptBR, "R$ 1.000,00"), (0, .ptBR, "R$ 0,00"), (-150, .ptBR, "-R$ 1,50"),
        (123_456, .en, "BRL 1,234.56"), (5, .en, "BRL 0.05"), (100_000_000, .en, "BRL 1,000,000.00"),
    ] as [(Int64, MessageLocale, String)])
    func formatsForPeople(cents: Int64, locale: MessageLocale, expected: String) {
        #expect(Money(cents: cents).formatted(locale: locale) == expected)
    }

    @Test func otherCurrenciesShowTheirCode() {
        #expect(Money(cents: 123_456).formatted(currency: "USD", locale: .ptBR) == "USD 1.234,56")
        #expect(Money(cents: 7).formatted(currency: "EUR", locale: .en) == "EUR 0.07")
    }

    @Test(arguments: [0, 5, 10, 99, 100, 123_456, 999_999_999_999_999] as [Int64])
    func decimalStringRoundTrips(cents: Int64) {
        #expect(Money(decimal: Money(cents: cents).decimalString)?.cents == cents)
    }

    @Test func arithmeticAndOrder() {
        #expect(Money(cents: 150) + Money(cents: 275) == Money(cents: 425))
        #expect(Money(cents: 1) > .zero)
        #expect(Money(cents: -150).decimalString == "-1.50")
        #expect(Money(cents: 5).description == "0.05")
    }
}
