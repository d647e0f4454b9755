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

    @Test func sumsAndOrder() throws {
        #expect(try Money.sum([Money(cents: 150), Money(cents: 275)]) == Money(cents: 425))
        #expect(try Money.sum([Money]()) == .zero)
        #expect(Money(cents: 1) > .zero)
        #expect(Money(cents: -150).decimalString == "-1.50")
        #expect(Money(cents: 5).description == "0.05")
    }

    /// The amounts an older version could store (13 digits) add up past Int64 within 9,224 debts:
    /// the sum says so instead of trapping, which stopped every tick.
    @Test func aSumThatOverflowsThrows() {
        let huge = Money(decimal: "9999999999999.99")!
        #expect(throws: MoneyOverflow(count: 9_224)) { try Money.sum(Array(repeating: huge, count: 10_000)) }
        #expect(throws: MoneyOverflow(count: 2)) { try Money.sum([Money(cents: .max), Money(cents: 1)]) }
    }

    /// The documented maximum: 92 million of them still add up, so no realistic total overflows.
    @Test func theMaximumAmountLeavesRoomForAnyRealisticSum() {
        #expect(Money.maxAmount == Money(cents: 100_000_000_000))
        #expect(Int64.max / Money.maxAmount.cents >= 92_000_000)
        #expect(AmountRule.positive("1000000000.00") == nil)
        #expect(AmountRule.positive("1000000000.01") == "at most 1000000000.00 (one billion) per amount")
        #expect(AmountRule.positive("9999999999999.99") == "at most 1000000000.00 (one billion) per amount")
    }

    /// `pay --amount` reads an amount the way a spreadsheet cell is read; alone, `1.500` could
    /// be either, so it is refused with both readings rather than guessed.
    @Test(arguments: [("1.234,56", 123_456), ("1234,56", 123_456), ("R$ 12,3", 1_230), ("1234.56", 123_456),
                      ("1,234.56", 123_456), ("50", 5_000), ("1.500,00", 150_000)])
    func anAmountTypedAloneReadsLikeACell(text: String, cents: Int64) {
        #expect(AmountRule.positive(text) == nil)
        #expect(AmountRule.money(text)?.cents == cents)
    }

    @Test func anAmountTypedAloneThatCouldBeEitherIsRefused() {
        #expect(AmountRule.positive("1.500")?.hasPrefix("ambiguous: 1.500 is either 1500") == true)
        #expect(AmountRule.positive("1.500")?.contains("nothing else shows which") == true)
        #expect(AmountRule.positive("0,00") == "must be more than zero")
        #expect(AmountRule.positive("12.34.5") != nil)
    }
}
