import Foundation
import Testing
import TestSupport

/// The walking skeleton, end to end on the built binary and a real SMTP server:
/// import → run → the e-mail arrives → a second run sends nothing → pay → nothing more but one thank-you.
@Suite(.serialized) struct ReminderFlowTests {
    static let customers = """
        id,name,email,phone,document,timezone,locale
        c-ana,Ana Souza,ana@example.com,,,,
        c-fer,Fernanda Castro,fer@example.com,,,,en
        """
    static let debts = """
        id,customer_id,amount,due_date,description
        d-1,c-ana,1234.56,2026-11-17,Revisão de freios
        d-2,c-fer,310.00,2026-11-17,Air conditioning
        """

    func importDemo(_ f: Fixture) throws {
        let c = try f.lembra("import", "customers", f.csv("customers.csv", Self.customers))
        #expect(c.status == 0, "\(c)")
        let d = try f.lembra("import", "debts", f.csv("debts.csv", Self.debts))
        #expect(d.status == 0, "\(d)")
    }

    @Test func reminderArrivesOnceAndStopsAfterPayment() throws {
        let f = try Fixture()
        try importDemo(f)

        let first = try f.lembra("run", "--once")
        #expect(first.status == 0, "\(first)")
        #expect(first.stdout.contains("sent=2"), "\(first)")
        let mails = try f.received()
        #expect(mails.count == 2)
        let ana = try #require(mails.first { $0["to"]?.contains("ana@example.com") == true })
        #expect(ana.defects.isEmpty)
        #expect(ana["subject"] == "Um lembrete amigável sobre seu pagamento — Oficina Teste Ltda")
        #expect(ana["from"]?.contains("cobranca@oficina.test") == true)
        #expect(ana["message-id"]?.hasPrefix("<att_") == true)
        #expect(ana.charset == "utf-8")
        #expect(ana.body.contains("Olá, Ana Souza!"))
        #expect(ana.body.contains("Revisão de freios — R$ 1.234,56, venceu em 17/11/2026"))
        #expect(ana.body.contains("https://pay.test/d/d-1"))
        #expect(ana.body.contains("CPF/CNPJ 11.222.333/0001-81"))
        let fer = try #require(mails.first { $0["to"]?.contains("fer@example.com") == true })
        #expect(fer.body.contains("BRL 310.00, due 2026-11-17"))

        let second = try f.lembra("run", "--once")
        #expect(second.status == 0, "\(second)")
        #expect(try f.received().count == 2, "a second tick at the same instant must send nothing")

        let pay = try f.lembra("pay", "d-1")
        #expect(pay.status == 0, "\(pay)")
        // The thank-you goes out once; d-1 gets no more reminders, even when its next step is due.
        #expect(try f.lembra("run", "--once").status == 0)
        #expect(try f.lembra("run", "--once", now: "2026-11-23T10:00:00-03:00").status == 0)
        #expect(try f.lembra("run", "--once", now: "2026-11-25T10:00:00-03:00").status == 0)
        let toAna = try f.received().filter { $0["to"]?.contains("ana@example.com") == true }
        #expect(toAna.map { $0["subject"] ?? "" } == [
            "Um lembrete amigável sobre seu pagamento — Oficina Teste Ltda",
            "Pagamento recebido — obrigado! — Oficina Teste Ltda",
        ])
        // Fernanda did not pay: her day-4 step arrived (23/11 is day 6: only the latest due step, once).
        let toFer = try f.received().filter { $0["to"]?.contains("fer@example.com") == true }
        #expect(toFer.count == 2)

        let history = try f.lembra("history", "d-1")
        #expect(history.stdout.contains("step=forgetful.1d"))
        #expect(history.stdout.contains("step=on_paid.thanks"))
        #expect(history.stdout.contains("payment"))
    }

    @Test func statusCountsWhatHappened() throws {
        let f = try Fixture()
        try importDemo(f)
        #expect(try f.lembra("run", "--once").status == 0)
        let status = try f.lembra("status")
        #expect(status.status == 0)
        #expect(status.stdout.contains("forgetful      2"), "\(status)")
        #expect(status.stdout.contains("sent 2"), "\(status)")
        #expect(status.stdout.contains("R$ 1.544,56"), "\(status)")
    }

    @Test func optedOutPausedAndDisputedCustomersGetNothing() throws {
        let f = try Fixture()
        try importDemo(f)
        #expect(try f.lembra("opt-out", "c-ana", "--reason", "asked by phone").status == 0)
        #expect(try f.lembra("dispute", "d-2", "--reason", "says it was paid in cash").status == 0)
        let run = try f.lembra("run", "--once")
        #expect(run.stdout.contains("held=2"), "\(run)")
        #expect(try f.received().isEmpty)
        #expect(try f.lembra("history", "c-ana").stdout.contains("opted_out"))

        #expect(try f.lembra("opt-in", "c-ana").status == 0)
        #expect(try f.lembra("pause", "c-ana", "--until", "2026-11-19", "--reason", "travelling").status == 0)
        #expect(try f.lembra("run", "--once").stdout.contains("held=1"), "only Ana is looked at again: d-2 waits for resolve")
        #expect(try f.received().isEmpty)

        #expect(try f.lembra("resolve", "d-2").status == 0)
        #expect(try f.lembra("run", "--once", now: "2026-11-20T10:00:00-03:00").stdout.contains("held=2"), "20/11 is a holiday")
        #expect(try f.lembra("run", "--once", now: "2026-11-21T10:00:00-03:00").status == 0)
        let subjects = try f.received().map { $0["to"] ?? "" }
        #expect(subjects.count == 2, "after the pause and the dispute, each gets one reminder: \(subjects)")
    }

    @Test func nothingGoesOutOnSunday() throws {
        let f = try Fixture()
        try importDemo(f)
        let run = try f.lembra("run", "--once", now: "2026-11-22T10:00:00-03:00")
        #expect(run.status == 0)
        #expect(try f.received().isEmpty)
        #expect(run.stdout.contains("held=2"), "\(run)")
        let history = try f.lembra("history", "d-1", now: "2026-11-22T10:00:00-03:00").stdout
        #expect(history.contains("waiting"), "\(history)")
        #expect(history.contains("reason=outside_window until=2026-11-23 08:00 -03:00"), "Monday 08:00 in São Paulo\n\(history)")
        #expect(history.hasPrefix("2026-11-22 10:00 -03:00  waiting"), "the line's own time too\n\(history)")
    }
}

/// `lembra pay --amount` above the balance is recorded (fees and interest are common) but said.
struct OverpaymentTests {
    @Test func payingMoreThanTheBalanceIsRecordedAndPointedOut() throws {
        let f = try Fixture()
        #expect(try f.lembra("import", "customers", f.csv("c.csv", ReminderFlowTests.customers)).status == 0)
        #expect(try f.lembra("import", "debts", f.csv("d.csv", ReminderFlowTests.debts)).status == 0)
        let over = try f.lembra("pay", "d-2", "--amount", "3100.00")
        #expect(over.status == 0, "\(over)")
        #expect(over.stdout.contains("d-2: paid"), "\(over)")
        #expect(over.stderr.contains("R$ 3.100,00 is more than the R$ 310,00 owed"), "\(over)")
        let ambiguous = try f.lembra("pay", "d-1", "--amount", "1.500")
        #expect(ambiguous.status == 64 && ambiguous.stderr.contains("ambiguous: 1.500 is either 1500"), "\(ambiguous)")
        // Typed the pt-BR way, the whole balance: paid, and nothing said.
        let exact = try f.lembra("pay", "d-1", "--amount", "1.234,56")
        #expect(exact.status == 0 && exact.stdout.contains("d-1: paid") && !exact.stderr.contains("more than"), "\(exact)")
    }
}

/// `lembra backup` makes a usable copy while the ledger is in use.
struct BackupTests {
    @Test func aBackupIsAWorkingLedger() throws {
        let f = try Fixture()
        #expect(try f.lembra("import", "customers", f.csv("c.csv", ReminderFlowTests.customers)).status == 0)
        #expect(try f.lembra("import", "debts", f.csv("d.csv", ReminderFlowTests.debts)).status == 0)
        #expect(try f.lembra("run", "--once").status == 0)
        let copy = f.dir.path("copy.sqlite").path
        let backup = try f.lembra("backup", copy)
        #expect(backup.status == 0, "\(backup)")
        let config = try String(contentsOfFile: f.configPath, encoding: .utf8)
            .replacingOccurrences(of: f.dir.path("lembra.sqlite").path, with: copy)
        let restored = try f.dir.write("restored.yaml", config).path
        let status = try LembraBinary.run(["status", "--config", restored])
        #expect(status.stdout.contains("sent 2"), "\(status)")
    }

    /// A copy that can't be written is exit 73 (cannot create), naming the folder, and writes nothing.
    @Test func aBackupIntoAFolderThatIsNotThereIsCannotCreate() throws {
        let f = try Fixture()
        #expect(try f.lembra("import", "customers", f.csv("c.csv", ReminderFlowTests.customers)).status == 0)
        let missing = f.dir.path("no/such/folder").path
        let backup = try f.lembra("backup", missing + "/copy.sqlite")
        #expect(backup.status == 73, "\(backup)")
        #expect(backup.stderr.contains(missing), "\(backup)")
        #expect(!FileManager.default.fileExists(atPath: missing))
    }
}
