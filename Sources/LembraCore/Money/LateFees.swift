/// `late_fees:` — the fine (multa) and interest (juros de mora) a business adds to an overdue
/// amount, as a Brazilian boleto or Pix cobrança does, so a reminder can show what is owed today.
///
/// The arithmetic, in integer cents and never floating point (a centavo too much is an undue
/// charge, CDC art. 42):
/// - `days` = today − due date, in calendar days of the customer's time zone.
/// - Nothing is added while `days <= graceDays`: on the due date, before it, and in the grace.
/// - From day `graceDays + 1`: the whole fine, `open × fine`, once; and simple interest pro rata
///   die, `open × interest_per_month / 30` for each day after the grace (`days − graceDays`), as
///   banks do for boletos. So the grace delays the start: the days forgiven are never charged,
///   and with no grace fine and interest run from the day after the due date.
/// - Each part is rounded down to the cent on its own, so no part is ever a fraction of a
///   centavo above what its rate allows (a charge above the legal limit is an undue charge,
///   repaid in double, CDC art. 42), and the amount due today is their sum, so the parts a
///   message shows always add up to the total it shows.
///
/// Rates are basis points (hundredths of a percent: 2% = 200) so that every product is an
/// integer. The limits are the law's: a fine of at most 2% (CDC art. 52 §1) and interest of at
/// most 1% a month (see `maxInterestBasisPointsPerMonth`).
public struct LateFees: Sendable, Equatable {
    /// CDC art. 52 §1: the fine for late payment is at most 2% of the amount.
    public static let maxFineBasisPoints = 200
    /// 1% a month: the usual ceiling for juros de mora (CTN art. 161 §1, long read into CC art.
    /// 406; the most STJ Súmula 379 lets a contract agree to).
    public static let maxInterestBasisPointsPerMonth = 100
    /// Interest pro rata die counts a month as 30 days (commercial month, as on boletos).
    public static let daysPerMonth: Int64 = 30

    /// The fine (multa), in basis points of the open amount: 0...200.
    public var fineBasisPoints: Int
    /// Interest (juros de mora) per 30 days, in basis points of the open amount: 0...100.
    public var interestBasisPointsPerMonth: Int
    /// Days after the due date on which nothing is added yet.
    public var graceDays: Int

    /// The config checks the values (`check-config` refuses the rest); a negative one here is a bug.
    public init(fineBasisPoints: Int, interestBasisPointsPerMonth: Int, graceDays: Int) {
        precondition(fineBasisPoints >= 0 && interestBasisPointsPerMonth >= 0 && graceDays >= 0, "late fees are never negative")
        self.fineBasisPoints = fineBasisPoints
        self.interestBasisPointsPerMonth = interestBasisPointsPerMonth
        self.graceDays = graceDays
    }

    /// What is owed on `today` for `open` (the amount less what was paid) due on `dueDate`.
    /// Throws only when a part does not fit in Int64 cents, which amounts within
    /// `Money.maxAmount` never reach, not even after thousands of years.
    public func charge(open: Money, dueDate: CalendarDate, today: CalendarDate) throws(MoneyOverflow) -> LateFeeCharge {
        let days = today.days(since: dueDate)
        guard open.cents > 0, days > graceDays else { return LateFeeCharge(open: open) }
        let (perDay, dayOverflow) = Int64(interestBasisPointsPerMonth).multipliedReportingOverflow(by: Int64(days - graceDays))
        if dayOverflow { throw MoneyOverflow(count: 1) }
        let fine = try Self.share(of: open, times: Int64(fineBasisPoints), per: 10_000)
        let interest = try Self.share(of: open, times: perDay, per: 10_000 * Self.daysPerMonth)
        return try LateFeeCharge(open: open, fine: fine, interest: interest)
    }

    /// `amount × numerator / denominator`, rounded down to the cent (all three non-negative).
    /// The product is taken in 128 bits, so R$ 1.000.000.000,00 times a century of daily interest
    /// neither traps nor wraps; a result beyond Int64 cents throws.
    static func share(of amount: Money, times numerator: Int64, per denominator: Int64) throws(MoneyOverflow) -> Money {
        let d = UInt64(denominator)
        let product = UInt64(amount.cents).multipliedFullWidth(by: UInt64(numerator))
        guard product.high < d else { throw MoneyOverflow(count: 1) }
        let quotient = d.dividingFullWidth(product).quotient
        guard quotient <= UInt64(Int64.max) else { throw MoneyOverflow(count: 1) }
        return Money(cents: Int64(quotient))
    }
}
