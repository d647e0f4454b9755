import Foundation
import LembraCore
import Testing
import TestSupport

/// Fine and pro-rata interest on an open amount (`LateFees`): worked examples, the grace, the
/// rounding, the legal limits, and seeded random cases against a reference computed in decimal.
@Suite struct LateFeesTests {
    static let due = CalendarDate(iso: "2026-11-17")!
    static let usual = LateFees(fineBasisPoints: 200, interestBasisPointsPerMonth: 100, graceDays: 0)

    func charge(_ fees: LateFees = usual, cents: Int64, days: Int) throws -> LateFeeCharge {
        try fees.charge(open: Money(cents: cents), dueDate: Self.due, today: Self.due.adding(days: days))
    }

    @Test func aHundredReaisThreeDaysLateOwes102_10() throws {
        let c = try charge(cents: 10_000, days: 3)
        #expect(c.fine == Money(cents: 200))      // 2% of R$ 100,00
        #expect(c.interest == Money(cents: 10))   // 1% a month / 30 × 3 days = 0.1%
        #expect(c.amountDueToday == Money(cents: 10_210))
        #expect(c.amountDueToday.formatted(locale: .ptBR) == "R$ 102,10")
        #expect(c.hasFees)
    }

    /// Simple interest, not compound: 60 days is exactly twice 30 days' 1%.
    @Test func interestIsSimpleAndProRataDie() throws {
        #expect(try charge(cents: 100_000, days: 30).interest == Money(cents: 1_000))
        #expect(try charge(cents: 100_000, days: 60).interest == Money(cents: 2_000))
        #expect(try charge(cents: 100_000, days: 1).interest == Money(cents: 33)) // 33.33… rounded down
        #expect(try charge(cents: 100_000, days: 365).interest == Money(cents: 12_166)) // 121.666…
    }

    @Test(arguments: [-30, -1, 0])
    func nothingIsAddedUpToTheDueDate(days: Int) throws {
        let c = try charge(cents: 10_000, days: days)
        #expect(c == LateFeeCharge(open: Money(cents: 10_000)))
        #expect(!c.hasFees)
    }

    /// The grace delays the start: nothing within it, then the fine and interest for the days
    /// after it only (never for the days forgiven).
    @Test func theGraceDelaysTheStart() throws {
        let fees = LateFees(fineBasisPoints: 200, interestBasisPointsPerMonth: 100, graceDays: 5)
        for days in 0...5 { #expect(try charge(fees, cents: 300_000, days: days).amountDueToday == Money(cents: 300_000)) }
        let first = try charge(fees, cents: 300_000, days: 6)
        #expect(first.fine == Money(cents: 6_000))
        #expect(first.interest == Money(cents: 100)) // one day: 3000 × 1% / 30
        #expect(try charge(fees, cents: 300_000, days: 35).interest == Money(cents: 3_000)) // 30 days after the grace
    }

    /// Each part rounded down on its own: 2% of R$ 1,25 is 2.5 centavos, charged as 2 (never a
    /// fraction above the legal 2%); the total is the sum of the parts shown.
    @Test func eachPartIsRoundedDownToTheCent() throws {
        let c = try charge(cents: 125, days: 1)
        #expect(c.fine == Money(cents: 2))
        #expect(c.interest == .zero) // 0.04 centavos
        #expect(c.amountDueToday == Money(cents: 127))
        #expect(!(try charge(LateFees(fineBasisPoints: 0, interestBasisPointsPerMonth: 100, graceDays: 0), cents: 99, days: 1)).hasFees)
    }

    @Test func nothingOnANothingOwed() throws {
        for cents: Int64 in [0, -500] { #expect(try charge(cents: cents, days: 40) == LateFeeCharge(open: Money(cents: cents))) }
    }

    /// R$ 1.000.000.000,00 (the largest amount an import takes) over the whole calendar
    /// (1900 to 9999): 128-bit products, no trap, and the same as the decimal reference.
    @Test func theLargestAmountOverThousandsOfYearsNeitherTrapsNorWraps() throws {
        let first = CalendarDate(iso: "1900-01-01")!, last = CalendarDate(iso: "9999-12-31")!
        let c = try Self.usual.charge(open: Money.maxAmount, dueDate: first, today: last)
        #expect(try c == Self.reference(Self.usual, open: Money.maxAmount.cents, days: last.days(since: first)))
        #expect(c.amountDueToday > Money.maxAmount)
    }

    /// Amounts only an older version could store, or no ledger holds at all: a `MoneyOverflow`,
    /// which the composer turns into a held-back message, never a trap.
    @Test func anAmountBeyondInt64WithFeesThrows() throws {
        #expect(throws: MoneyOverflow.self) { try charge(cents: .max, days: 1) }
        #expect(throws: MoneyOverflow.self) {
            try Self.usual.charge(open: Money(cents: .max / 2), dueDate: CalendarDate(dayNumber: 0), today: CalendarDate(dayNumber: .max / 2))
        }
    }

    // MARK: - Properties

    /// The charge computed another way: Foundation's `Decimal` (38 significant digits, more than
    /// any product here), each part a percentage of the open amount rounded down.
    static func reference(_ fees: LateFees, open: Int64, days: Int) throws -> LateFeeCharge {
        guard open > 0, days > fees.graceDays else { return LateFeeCharge(open: Money(cents: open)) }
        func floor(_ x: Decimal) -> Int64 {
            var x = x, rounded = Decimal()
            NSDecimalRound(&rounded, &x, 0, .down)
            return (rounded as NSDecimalNumber).int64Value
        }
        let fine = floor(Decimal(open) * Decimal(fees.fineBasisPoints) / 10_000)
        // Multiplied out before the one division, so an exact result stays exact.
        let interest = floor(Decimal(open) * Decimal(fees.interestBasisPointsPerMonth) * Decimal(days - fees.graceDays) / 300_000)
        return try LateFeeCharge(open: Money(cents: open), fine: Money(cents: fine), interest: Money(cents: interest))
    }

    static func randomFees(_ rng: inout SeededGenerator) -> LateFees {
        LateFees(fineBasisPoints: Int.random(in: 0...LateFees.maxFineBasisPoints, using: &rng),
                 interestBasisPointsPerMonth: Int.random(in: 0...LateFees.maxInterestBasisPointsPerMonth, using: &rng),
                 graceDays: [0, 0, 1, 3, 5, 10, 30].randomElement(using: &rng)!)
    }

    static func randomOpen(_ rng: inout SeededGenerator) -> Int64 {
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: Int64.random(in: 1...1_000, using: &rng)
        case 1: Int64.random(in: 1...10_000_000, using: &rng)
        case 2: Money.maxAmount.cents - Int64.random(in: 0...1_000, using: &rng)
        default: Int64.random(in: 1...Money.maxAmount.cents, using: &rng)
        }
    }

    @Test func equalsTheDecimalReference() throws {
        var rng = SeededGenerator(seed: 0x1A7E_FEE5)
        for i in 0..<5_000 {
            let fees = Self.randomFees(&rng), open = Self.randomOpen(&rng)
            let days = Int.random(in: -40...(i % 10 == 0 ? 3_000_000 : 20_000), using: &rng)
            let got = try fees.charge(open: Money(cents: open), dueDate: Self.due, today: Self.due.adding(days: days))
            #expect(try got == Self.reference(fees, open: open, days: days), "case \(i): \(fees) \(open) \(days)")
        }
    }

    /// Monotone in the days, zero up to the grace's end, the fine never above its rate (so never
    /// above the 2% of CDC art. 52 §1), and the parts adding up to the amount due.
    @Test func monotoneBoundedAndAddingUp() throws {
        var rng = SeededGenerator(seed: 0xD1A5_0FF5)
        for i in 0..<400 {
            let fees = Self.randomFees(&rng), open = Self.randomOpen(&rng)
            var previous = Money(cents: open)
            for days in -3...(fees.graceDays + 70) {
                let c = try fees.charge(open: Money(cents: open), dueDate: Self.due, today: Self.due.adding(days: days))
                #expect(c.amountDueToday >= previous, "case \(i) day \(days)")
                if days <= fees.graceDays { #expect(!c.hasFees && c.amountDueToday == Money(cents: open), "case \(i) day \(days)") }
                #expect(c.fine.cents * 10_000 <= open * Int64(fees.fineBasisPoints) && c.fine.cents * 50 <= open, "case \(i) day \(days)")
                #expect(try Money.sum([c.open, c.fine, c.interest]) == c.amountDueToday)
                previous = c.amountDueToday
            }
        }
    }
}
