import Foundation
import LembraCore
@testable import LembraDaemon
import Testing

/// `late_fees:` is read into basis points, and refused at its key (line, column) above the legal
/// limits, below zero, or written any way a percentage could be misread.
struct LateFeesConfigTests {
    static func config(_ lateFees: String) -> String {
        [ConfigFixture.business, lateFees, ConfigFixture.outbox, ConfigFixture.ladders].joined(separator: "\n")
    }

    @Test func absentMeansNoLateFees() throws {
        #expect(try ConfigFixture().load(Self.config("")).lateFees == nil)
    }

    @Test(arguments: [
        ("late_fees: { fine: 2%, interest_per_month: 1%, grace_days: 3 }", LateFees(fineBasisPoints: 200, interestBasisPointsPerMonth: 100, graceDays: 3)),
        ("late_fees: { fine: 0.5%, interest_per_month: \"0,33%\" }", LateFees(fineBasisPoints: 50, interestBasisPointsPerMonth: 33, graceDays: 0)),
        ("late_fees: { fine: \"1,5 %\", interest_per_month: 0% }", LateFees(fineBasisPoints: 150, interestBasisPointsPerMonth: 0, graceDays: 0)),
        ("late_fees:\n  fine: 2.00%\n  interest_per_month: 1.0%\n  grace_days: 3650", LateFees(fineBasisPoints: 200, interestBasisPointsPerMonth: 100, graceDays: 3650)),
    ])
    func percentagesAreReadIntoBasisPoints(yaml: String, expected: LateFees) throws {
        #expect(try ConfigFixture().load(Self.config(yaml)).lateFees == expected)
    }

    @Test(arguments: [
        ("late_fees: { fine: 3%, interest_per_month: 1% }",
         "5:20: late_fees.fine: must be at most 2% (CDC art. 52 §1 caps the fine for late payment), got '3%'"),
        ("late_fees: { fine: 2.01%, interest_per_month: 1% }",
         "5:20: late_fees.fine: must be at most 2% (CDC art. 52 §1 caps the fine for late payment), got '2.01%'"),
        ("late_fees: { fine: 2%, interest_per_month: 1.5% }",
         "5:44: late_fees.interest_per_month: must be at most 1% a month (the ceiling for juros de mora: CTN art. 161 §1, CC art. 406, STJ Súmula 379), got '1.5%'"),
        ("late_fees: { fine: -1%, interest_per_month: 1% }", "5:20: late_fees.fine: must not be negative, got '-1%'"),
        ("late_fees: { fine: 2%, interest_per_month: -0.5% }", "5:44: late_fees.interest_per_month: must not be negative, got '-0.5%'"),
        ("late_fees: { fine: 2%, interest_per_month: 1%, grace_days: -1 }", "5:60: late_fees.grace_days: expected a whole number in 0...3650, got '-1'"),
        ("late_fees: { fine: 2%, interest_per_month: 1%, grace_days: 3651 }", "5:60: late_fees.grace_days: expected a whole number in 0...3650, got '3651'"),
        ("late_fees: { fine: 2, interest_per_month: 1% }",
         "5:20: late_fees.fine: expected a percentage like 2% or 0.33% (a % sign, at most two decimals), got '2'"),
        ("late_fees: { fine: 0.02, interest_per_month: 1% }",
         "5:20: late_fees.fine: expected a percentage like 2% or 0.33% (a % sign, at most two decimals), got '0.02'"),
        ("late_fees: { fine: dois%, interest_per_month: 1% }",
         "5:20: late_fees.fine: expected a percentage like 2% or 0.33% (a % sign, at most two decimals), got 'dois%'"),
        ("late_fees: { fine: 1.999%, interest_per_month: 1% }",
         "5:20: late_fees.fine: expected a percentage like 2% or 0.33% (a % sign, at most two decimals), got '1.999%'"),
        ("late_fees: { fine: 1e0%, interest_per_month: 1% }",
         "5:20: late_fees.fine: expected a percentage like 2% or 0.33% (a % sign, at most two decimals), got '1e0%'"),
        ("late_fees: { fine: \"%\", interest_per_month: 1% }",
         "5:20: late_fees.fine: expected a percentage like 2% or 0.33% (a % sign, at most two decimals), got '%'"),
        ("late_fees: { fine: \"+1%\", interest_per_month: 1% }",
         "5:20: late_fees.fine: expected a percentage like 2% or 0.33% (a % sign, at most two decimals), got '+1%'"),
        ("late_fees: { interest_per_month: 1% }", "5:12: late_fees: fine: required, a percentage like 2% (0% for none)"),
        ("late_fees: { fine: 2%, interest: 1% }", "5:12: late_fees: interest_per_month: required, a percentage like 1% (0% for none)"),
        ("late_fees: 2%", "5:12: late_fees: expected a mapping (key: value)"),
    ])
    func refusedAtTheKey(yaml: String, problem: String) throws {
        let problems = try ConfigFixture().problems(Self.config(yaml))
        #expect(problems.contains(problem), "\(problems)")
        #expect(problems.count == (yaml.contains("interest:") ? 2 : 1), "\(problems)")
    }

    /// A signed link signs the amount; with late fees that amount is the day's, which the payment
    /// page can only check when the link carries it.
    @Test func aSignedLinkWithoutTheAmountIsWarnedAbout() throws {
        let f = try ConfigFixture()
        let secret = try f.dir.write("link-secret", "s3cr3t")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secret.path)
        func warnings(_ template: String, lateFees: String) throws -> [String] {
            var warnings: [ConfigProblem] = []
            _ = try f.load(Self.config(lateFees + "\n" + #"payment_link: { kind: url, template: "\#(template)", signing_secret_file: "\#(secret.path)" }"#),
                           warnings: &warnings)
            return warnings.map(\.message).filter { $0.contains("late_fees") }
        }
        let on = "late_fees: { fine: 2%, interest_per_month: 1% }"
        #expect(try warnings("https://pay.test/d/{{debt.id}}", lateFees: on).count == 1)
        #expect(try warnings("https://pay.test/d/{{debt.id}}?v={{ debt.amount_cents }}", lateFees: on).isEmpty)
        #expect(try warnings("https://pay.test/d/{{debt.id}}", lateFees: "").isEmpty)
    }
}
