import Foundation
import Testing
import TestSupport

/// Re-importing on the built binary: files with fewer columns, amounts lowered to what was paid,
/// and payments files, each changing exactly what its rows say.
@Suite(.serialized) struct ReimportTests {
    static let customers = "id,name,email,phone\nc1,Ana Souza,ana@example.com,\n"
    static let debts = "id,customer_id,amount,due_date,payment_url\nd1,c1,100.00,2026-11-17,https://pay.example/d1\n"

    func loaded() throws -> Fixture {
        let f = try Fixture()
        #expect(try f.lembra("import", "customers", f.csv("c.csv", Self.customers)).status == 0)
        #expect(try f.lembra("import", "debts", f.csv("d.csv", Self.debts)).status == 0)
        return f
    }

    @Test func aCustomersFileWithoutTheEmailColumnKeepsTheAddress() throws {
        let f = try loaded()
        let phones = try f.lembra("import", "customers", f.csv("phones.csv", "id,name,phone\nc1,Ana Souza,+55 11 91234-5678\n"))
        #expect(phones.status == 0 && phones.stdout.contains("0 new, 1 updated"), "\(phones)")
        let debts = try f.lembra("import", "debts", f.csv("amounts.csv", "id,customer_id,amount,due_date\nd1,c1,100.00,2026-11-17\n"))
        #expect(debts.status == 0, "\(debts)")
        let run = try f.lembra("run", "--once")
        #expect(run.status == 0 && run.stdout.contains("sent=1"), "\(run)")
        let mail = try #require(try f.received().first)
        #expect(mail["to"]?.contains("ana@example.com") == true)
        #expect(mail.body.contains("https://pay.example/d1"), "the payment_url left out of the file is kept\n\(mail.body)")
    }

    @Test func clearingTheOnlyContactIsBadDataAndChangesNothing() throws {
        let f = try loaded()
        let file = try f.csv("clear.csv", "id,name,email\nc1,Ana Maria,\n")
        let result = try f.lembra("import", "customers", file)
        #expect(result.status == 65, "\(result)")
        #expect(result.stderr.contains("\(file):2: email: needs an email or a phone"), "\(result)")
        #expect(try f.lembra("run", "--once").stdout.contains("sent=1"))
        #expect(try f.received().first?.body.contains("Olá, Ana Souza!") == true, "the name was not changed either")
    }

    @Test func aDebtLoweredToWhatWasPaidIsSettledAndThanked() throws {
        let f = try loaded()
        #expect(try f.lembra("pay", "d1", "--amount", "50.00").status == 0)
        let lowered = try f.lembra("import", "debts", f.csv("lowered.csv", "id,customer_id,amount,due_date\nd1,c1,50.00,2026-11-17\n"))
        #expect(lowered.status == 0 && lowered.stdout.contains("0 new, 1 updated, 1 paid"), "\(lowered)")
        let run = try f.lembra("run", "--once")
        #expect(run.status == 0, "\(run)")
        let mails = try f.received()
        #expect(mails.map { $0["subject"] ?? "" } == ["Pagamento recebido — obrigado! — Oficina Teste Ltda"], "one thank-you, no reminder")
        #expect(!mails.contains { $0.body.contains("R$ 0,00") })
        let status = try f.lembra("status")
        #expect(status.stdout.contains("(none)") && status.stdout.contains("Open total: R$ 0,00"), "\(status)")
        #expect(try f.lembra("run", "--once", now: "2026-11-25T10:00:00-03:00").status == 0)
        #expect(try f.received().count == 1, "never chased again")
    }

    @Test func equalPaymentsInOneFileCountTwiceAndTheFileTwiceOnce() throws {
        let f = try Fixture()
        #expect(try f.lembra("import", "customers", f.csv("c.csv", Self.customers)).status == 0)
        #expect(try f.lembra("import", "debts", f.csv("d.csv", "id,customer_id,amount,due_date\nd2,c1,200.00,2026-11-17\nd3,c1,80.00,2026-11-17\n")).status == 0)
        let file = try f.csv("p.csv", "debt_id,amount,paid_at\nd2,100.00,2026-11-16\nd2,100.00,2026-11-16\n")
        let first = try f.lembra("import", "payments", file)
        #expect(first.status == 0 && first.stdout.contains("\(file): 2 new, 0 updated, 1 paid\n"), "\(first)")
        let again = try f.lembra("import", "payments", file)
        #expect(again.status == 0 && again.stdout.contains("\(file): 0 new, 0 updated, 2 already recorded (the same debt_id and reference;"), "\(again)")

        // With references, a later file's payment of the same amount on the same day is a new one.
        let monday = try f.csv("p1.csv", "debt_id,amount,paid_at,reference\nd3,40.00,2026-11-16,E0001\n")
        #expect(try f.lembra("import", "payments", monday).stdout.contains("1 new"))
        let export = try f.csv("p2.csv", "reference,debt_id,amount,paid_at\nE0001,d3,40.00,2026-11-16\nE0002,d3,40.00,2026-11-16\n")
        let later = try f.lembra("import", "payments", export)
        #expect(later.status == 0 && later.stdout.contains("\(export): 1 new, 0 updated, 1 paid, 1 already recorded"), "\(later)")

        let status = try f.lembra("status")
        #expect(status.stdout.contains("(none)"), "both debts are paid\n\(status)")
        #expect(try f.lembra("run", "--once").status == 0)
        #expect(try f.received().allSatisfy { $0["subject"]?.hasPrefix("Pagamento recebido") == true }, "no reminder for money already paid")
    }

    /// A payments file that gains the `reference` column re-lists a payment recorded without
    /// one: it is that payment, not a second one that would mark the debt paid with 89.90 still
    /// owed, thank the customer and stop the reminders.
    @Test func aFileThatGainsTheReferenceColumnCountsItsPaymentOnce() throws {
        let f = try Fixture()
        #expect(try f.lembra("import", "customers", f.csv("c.csv", Self.customers)).status == 0)
        #expect(try f.lembra("import", "debts", f.csv("d.csv", "id,customer_id,amount,due_date\nd1,c1,189.90,2026-11-17\n")).status == 0)
        let plain = try f.csv("p.csv", "debt_id,amount,paid_at\nd1,100.00,2026-11-18T09:00-03:00\n")
        #expect(try f.lembra("import", "payments", plain).stdout.contains("\(plain): 1 new, 0 updated\n"))
        let referenced = try f.csv("p-ref.csv", "debt_id,amount,paid_at,reference\nd1,100.00,2026-11-18T09:00-03:00,E2E123\n")
        let gained = try f.lembra("import", "payments", referenced)
        #expect(gained.status == 0 && gained.stdout.contains("\(referenced): 0 new, 1 updated\n"), "the payment takes its reference: \(gained)")
        for file in [referenced, plain] {
            let again = try f.lembra("import", "payments", file)
            #expect(again.status == 0 && again.stdout.contains("\(file): 0 new, 0 updated, 1 already recorded"), "\(again)")
        }
        let status = try f.lembra("status")
        #expect(status.stdout.contains("Open total: R$ 89,90"), "\(status)")
        let run = try f.lembra("run", "--once")
        #expect(run.status == 0 && run.stdout.contains("sent=1"), "\(run)")
        #expect(try f.received().map { $0["subject"] ?? "" }.allSatisfy { !$0.hasPrefix("Pagamento recebido") }, "a reminder, no thank-you")
    }
}
