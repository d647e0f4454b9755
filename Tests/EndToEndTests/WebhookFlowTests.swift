import Foundation
import Testing
import TestSupport

/// Reminders over webhooks (an SMS gateway and a CRM), verified at a real receiver with the
/// Standard Webhooks reference library: signed, the documented body, the same `webhook-id` on a
/// retry, handoff tasks outside the caps.
@Suite(.serialized) struct WebhookFlowTests {
    static let ladders = """
        ladders:
          upcoming: []
          forgetful: [ { at: 1d, channel: sms, template: friendly-sms } ]
          short_delay: [ { at: 6d, channel: sms, template: friendly-sms } ]
          chronic: [ { at: 1d, channel: email, template: firm }, { at: 1d, channel: crm, template: call-task, id: chronic.1d.crm } ]
        """
    static let customers = """
        id,name,email,phone
        c1,Ana Souza,ana@example.com,+55 11 91234-5678
        c2,Bia Lima,bia@example.com,
        c3,Caio Reis,caio@example.com,+55 21 99876-5432
        """
    static let debts = """
        id,customer_id,amount,due_date,description
        d1,c1,1234.56,2026-11-17,Revisão
        d2,c2,10.00,2026-11-17,Troca
        d3,c3,50.00,2026-11-16,Pneu
        d4,c3,60.00,2026-11-17,Óleo
        """

    /// The secrets live in `secrets`, which the caller keeps alive as long as the fixture.
    func fixture(sms: WebhookReceiver, crm: WebhookReceiver, secrets dir: TemporaryDirectory) throws -> Fixture {
        let smsSecret = try dir.write("sms-secret", sms.secret), crmSecret = try dir.write("crm-secret", crm.secret)
        let smsHeaders = try dir.write("sms-headers", "# the gateway's token\nAuthorization: Bearer t0ken-for-the-gateway\n")
        for file in [smsSecret, crmSecret, smsHeaders] { try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path) }
        let f = try Fixture(ladders: Self.ladders, extraChannels: """
              sms: { type: webhook, url: "\(sms.url)", secret_file: "\(smsSecret.path)", requires: phone, timeout: 5s, headers: { x-api-key: k3y-for-the-gateway },
                     headers_file: "\(smsHeaders.path)" }
              crm: { type: webhook, url: "\(crm.url)", secret_file: "\(crmSecret.path)", handoff: true, timeout: 5s }
            """)
        #expect(try f.lembra("import", "customers", f.csv("c.csv", Self.customers)).status == 0)
        #expect(try f.lembra("import", "debts", f.csv("d.csv", Self.debts)).status == 0)
        return f
    }

    @Test func smsAndCRMWebhooksArriveSignedWithTheDocumentedBody() throws {
        let sms = try WebhookReceiver(), crm = try WebhookReceiver()
        let secrets = try TemporaryDirectory()
        let f = try fixture(sms: sms, crm: crm, secrets: secrets)
        let run = try f.lembra("run", "--once")
        #expect(run.status == 0, "\(run)")

        let smsRequests = try sms.requests()
        #expect(smsRequests.count == 1, "Bia has no phone: her SMS is skipped, not sent")
        let request = try #require(smsRequests.first)
        #expect(request.status == 200)
        #expect(request.headers["x-api-key"] == "k3y-for-the-gateway")
        #expect(request.headers["authorization"] == "Bearer t0ken-for-the-gateway", "from headers_file")
        #expect(!run.stderr.contains("t0ken"), "a secret header is never logged")
        let body = try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: Any])
        #expect(body["type"] as? String == "reminder.due")
        #expect(body["attempt_id"] as? String == request.id)
        #expect(body["step"] as? String == "forgetful.1d")
        #expect((body["customer"] as? [String: Any])?["phone"] as? String == "+55 11 91234-5678")
        #expect((body["customer"] as? [String: Any])?["phone_e164"] as? String == "+5511912345678", "for the gateway, beside the phone as written")
        let debt = try #require((body["debts"] as? [[String: Any]])?.first)
        #expect(debt["amount_cents"] as? String == "123456")
        #expect(debt["amount"] as? String == "R$ 1.234,56")
        #expect(debt["payment_link"] as? String == "https://pay.test/d/d1")
        #expect((body["text"] as? String)?.contains("Oficina Teste Ltda (CPF/CNPJ 11.222.333/0001-81)") == true)

        // Caio is chronic (two open overdue debts): one e-mail and one CRM task, both debts in each.
        let task = try #require(try crm.requests().first)
        let taskBody = try #require(try JSONSerialization.jsonObject(with: task.body) as? [String: Any])
        #expect(taskBody["handoff"] as? Bool == true)
        #expect((taskBody["debts"] as? [[String: Any]])?.count == 2)
        #expect(try f.received().map { $0["to"] ?? "" }.contains { $0.contains("caio@example.com") })
        #expect(try f.lembra("history", "c2").stdout.contains("reason=no_address"))

        #expect(try f.lembra("run", "--once").status == 0)
        #expect(try sms.requests().count == 1 && crm.requests().count == 1, "nothing twice")
    }

    @Test func aFailedWebhookIsRetriedLaterWithTheSameID() throws {
        let sms = try WebhookReceiver(failFirst: 1), crm = try WebhookReceiver()
        let secrets = try TemporaryDirectory()
        let f = try fixture(sms: sms, crm: crm, secrets: secrets)
        let first = try f.lembra("run", "--once")
        #expect(first.stderr.contains("event=retry"), "\(first)")
        #expect(try f.lembra("run", "--once").status == 0)
        #expect(try sms.requests().count == 1, "the retry waits for its backoff")
        #expect(try f.lembra("run", "--once", now: "2026-11-18T11:00:00-03:00").status == 0)
        let tries = try sms.requests()
        #expect(tries.map(\.status) == [500, 200])
        #expect(Set(tries.map(\.id)).count == 1, "webhook-id is the attempt id, unchanged across retries")
    }

    @Test func aGoneEndpointIsDeadNotRetried() throws {
        let sms = try WebhookReceiver(status: 410), crm = try WebhookReceiver()
        let secrets = try TemporaryDirectory()
        let f = try fixture(sms: sms, crm: crm, secrets: secrets)
        let run = try f.lembra("run", "--once")
        #expect(run.stderr.contains("event=dead"), "\(run)")
        #expect(try f.lembra("status").stdout.contains("Recent failures:"))
        #expect(try f.lembra("run", "--once", now: "2026-11-19T10:00:00-03:00").status == 0)
        #expect(try sms.requests().count == 1)
    }
}
