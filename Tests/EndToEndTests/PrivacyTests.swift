import Foundation
import Testing
import TestSupport

/// LGPD: a day of ticks (imports, reminders, a payment, a rejected file, a refused send) and not
/// one name, e-mail address, phone number or document in the whole log.
struct PrivacyTests {
    static let customers = """
        id,name,email,phone,document
        c1,Josefina Albuquerque,josefina.albuquerque@example.com,+55 11 97777-1234,529.982.247-25
        c2,Teodoro Vasconcelos,teodoro.v@example.com,+55 21 96666-4321,
        c3,Quitéria Sem Email,,+55 31 95555-0000,
        """
    static let debts = """
        id,customer_id,amount,due_date,description
        d1,c1,100.00,2026-11-17,Serviço
        d2,c2,200.00,2026-11-12,Serviço
        d3,c3,300.00,2026-11-17,Serviço
        """

    @Test func aDayOfTicksLogsNoPersonalData() throws {
        let f = try Fixture(smtp: SMTPTestServer(replyCode: 550, faultStep: .rcpt))
        try f.dir.write("inbox/customers-1.csv", Self.customers)
        try f.dir.write("inbox/debts-1.csv", Self.debts)
        try f.dir.write("inbox/customers-2.csv", "id,name,email\nc9,Zacarias Bad,zacarias@@example.com\n")
        var log = ""
        for hour in stride(from: 0, to: 24, by: 2) {
            let at = String(format: "2026-11-18T%02d:30:00-03:00", hour)
            if hour == 12 { log += try f.lembra("pay", "d1", now: at).stderr }
            let run = try f.lembra("run", "--once", now: at)
            #expect(run.status == 0, "\(run)")
            log += run.stderr
        }
        #expect(log.contains("event=dead"), "the refused sends are logged (by id)\n\(log)")
        #expect(log.contains("event=rejected"), "\(log)")
        let personal = ["Josefina", "Albuquerque", "josefina", "Teodoro", "Vasconcelos", "teodoro", "Quitéria", "Zacarias", "zacarias",
                        "example.com", "97777", "96666", "95555", "529.982.247-25", "52998224725"]
        for word in personal {
            #expect(!log.contains(word), "'\(word)' appears in the log")
        }
    }

    /// A gateway refuses the SMS and quotes the customer back: the dead attempt is logged and
    /// listed with the gateway's reason, without her phone or name.
    @Test func aWebhookReplyQuotingTheCustomerLeavesNoPersonalDataInLogsOrStatus() throws {
        let sms = try WebhookReceiver(status: 422, errorBody: #"{"error": "invalid destination", "to": "+55 11 91234-5678", "name": "Ana Souza"}"#)
        let crm = try WebhookReceiver()
        let secrets = try TemporaryDirectory()
        let f = try WebhookFlowTests().fixture(sms: sms, crm: crm, secrets: secrets)
        let run = try f.lembra("run", "--once")
        #expect(run.status == 0, "\(run)")
        #expect(run.stderr.contains("event=dead"), "\(run)")
        #expect(run.stderr.contains("invalid destination"), "the gateway's own words stay: \(run)")
        let status = try f.lembra("status"), history = try f.lembra("history", "c1")
        #expect(status.stdout.contains("invalid destination"), "\(status)")
        #expect(history.stdout.contains("invalid destination"), "\(history)")
        for (name, text) in [("log", run.stderr), ("status", status.stdout), ("history", history.stdout)] {
            for word in ["91234", "5678", "5511", "Ana", "Souza", "ana@"] {
                #expect(!text.contains(word), "'\(word)' appears in \(name): \(text)")
            }
        }
    }

    /// The same with a name that has an initial, quoted without it, and the address URL-encoded
    /// (so without its `@`).
    @Test func aReplyQuotingANameInPartsAndAnEncodedAddressLeavesNeither() throws {
        let sms = try WebhookReceiver(status: 400, errorBody: "invalid recipient MARIA OLIVEIRA maria.oliveira%40example.com")
        let crm = try WebhookReceiver()
        let secrets = try TemporaryDirectory()
        let f = try WebhookFlowTests().fixture(sms: sms, crm: crm, secrets: secrets)
        let maria = try f.csv("maria.csv", "id,name,email\nc1,Maria S. Oliveira,maria.oliveira@example.com\n")
        #expect(try f.lembra("import", "customers", maria).status == 0)
        let run = try f.lembra("run", "--once")
        #expect(run.status == 0 && run.stderr.contains("event=dead"), "\(run)")
        let status = try f.lembra("status")
        for (name, text) in [("log", run.stderr), ("status", status.stdout)] {
            #expect(text.contains("invalid recipient <redacted>"), "the gateway's own words stay in \(name): \(text)")
            for word in ["MARIA", "OLIVEIRA", "maria", "oliveira", "example.com", "%40"] {
                #expect(!text.contains(word), "'\(word)' appears in \(name): \(text)")
            }
        }
    }
}
