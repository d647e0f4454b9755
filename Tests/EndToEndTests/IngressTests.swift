import Foundation
import Testing
import TestSupport

/// The payments ingress of the running daemon (`lembra run` with `ingress:`), through a real
/// HTTP client signing with the Standard Webhooks reference library: a confirmation stops the
/// debt's reminders and the thank-you goes out once; replays, bad signatures, oversized bodies
/// and unknown txids are answered as the README says, and `status` lists what did not match.
@Suite(.serialized) struct IngressTests {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let pixToken = "pix-token-0123456789abcdef"
    /// `Fixture.wednesday` in unix seconds: the daemon's clock starts there (`--now`).
    static let wednesday = 1_795_006_800
    static let ladders = """
        ladders:
          upcoming: []
          forgetful: [ { at: 1d, channel: email, template: friendly }, { at: 4d, channel: email, template: second-notice } ]
          short_delay: [ { at: 6d, channel: email, template: second-notice } ]
          chronic: [ { at: 1d, channel: email, template: friendly } ]
        """

    struct StartFailure: Error, CustomStringConvertible { let description: String }

    /// A daemon with `ingress:` on a port the system picks, and a client for it.
    final class Ingress: @unchecked Sendable {
        let f: Fixture
        let secrets: TemporaryDirectory
        let daemon: RunningLembra
        let port: Int
        /// `https` with `tls:`.
        let scheme: String

        /// `tls`: the `ingress.tls` mapping; `pixToken` false leaves `pix_token_file` out.
        init(paymentLink: String = Fixture.urlLink, maxBody: String = "64KB", pixToken: Bool = true, tls: String? = nil,
             extraConfig: String = "", smtp: SMTPTestServer? = nil, smtpConnections: Int = 4, customers: Int = 2) throws {
            secrets = try TemporaryDirectory()
            let secretFile = try secrets.write("payments-secret", IngressTests.secret), tokenFile = try secrets.write("pix-token", IngressTests.pixToken)
            for file in [secretFile, tokenFile] { try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path) }
            let token = pixToken ? #", pix_token_file: "\#(tokenFile.path)""# : ""
            f = try Fixture(smtp: smtp, smtpConnections: smtpConnections, paymentLink: paymentLink, ladders: IngressTests.ladders, extraConfig: """
                ingress: { listen: "127.0.0.1:0", payments_secret_file: "\(secretFile.path)"\(token), max_body: \(maxBody)\(tls.map { ", tls: \($0)" } ?? "") }
                \(extraConfig)
                """)
            scheme = tls == nil ? "http" : "https"
            try f.importCustomersWithOneDebtEach(customers)
            daemon = try f.start("run")
            let daemon = self.daemon
            guard RunningLembra.waitUntil({ daemon.stderr.contains("event=ingress_listening") }),
                  let field = daemon.stderr.split(separator: " ").first(where: { $0.hasPrefix("port=") }), let port = Int(field.dropFirst(5)) else {
                throw StartFailure(description: "the ingress did not start\n\(daemon.stderr)")
            }
            self.port = port
        }

        /// POSTs `body` and returns the status and the answer's body. `sign`: with the Standard
        /// Webhooks secret, message `id`; `tamper` changes the body after signing. `client`:
        /// more of `ingress_client.py`'s options (its CA file, a client certificate).
        func post(_ path: String, _ body: String, sign: Bool = true, id: String = "msg_1", timestamp: Int = IngressTests.wednesday,
                  tamper: Bool = false, bearer: String? = nil, pauseUntilLogSays: String? = nil, client: [String] = []) throws -> (status: Int, body: String) {
            var args = [RepositoryPaths.servers.appendingPathComponent("ingress_client.py").path, "\(scheme)://127.0.0.1:\(port)\(path)"] + client
            if let text = pauseUntilLogSays { args += ["--pause-until", "\(daemon.stderrFile.path):\(text)"] }
            if sign { args += ["--secret-file", secrets.path("payments-secret").path, "--id", id, "--timestamp", "\(timestamp)"] }
            if tamper { args.append("--tamper") }
            if let bearer { args += ["--bearer", bearer] }
            let out = String(decoding: try ShellCommand.run(RepositoryPaths.python, args, input: Data(body.utf8)), as: UTF8.self)
            let parts = out.split(separator: " ", maxSplits: 1)
            return (Int(parts.first ?? "") ?? -1, parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespacesAndNewlines) : "")
        }

        /// `GET /healthz`: the status and the answer's body.
        func healthz(client: [String] = []) throws -> String {
            String(decoding: try ShellCommand.run(RepositoryPaths.python, [RepositoryPaths.servers.appendingPathComponent("ingress_client.py").path,
                                                                           "--get", "\(scheme)://127.0.0.1:\(port)/healthz"] + client), as: UTF8.self)
        }

        func mails(to address: String) throws -> [ParsedEmail] { try f.received().filter { $0["to"]?.contains(address) == true } }

        /// The txid of the Pix code in the first message to `address` (with a `kind: pix` payment link).
        func pixTxid(sentTo address: String) throws -> String {
            let mail = try #require(try mails(to: address).first)
            let line = try #require(mail.body.split(separator: "\n").first { $0.contains("Pix copia e cola: ") })
            return try #require(IngressTests.txid(inPixCode: String(line.split(separator: ": ", maxSplits: 1)[1])))
        }

        /// SIGTERM once the client has sent the headers and half of `confirmation` (a request in
        /// flight); it sends the rest when the daemon logs `stopping`. Returns the answer.
        func stopWithConfirmationInFlight(_ confirmation: String) throws -> (status: Int, body: String)? {
            final class Answer: @unchecked Sendable { var value: (status: Int, body: String)? }
            let answer = Answer(), answered = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                answer.value = try? self.post("/payments", confirmation, pauseUntilLogSays: "event=stopping")
                answered.signal()
            }
            let halfSent = daemon.stderrFile.path + ".half-sent"
            guard RunningLembra.waitUntil(timeout: 60, { FileManager.default.fileExists(atPath: halfSent) }) else {
                throw StartFailure(description: "the client did not send half")
            }
            daemon.signal(SIGTERM)
            answered.wait()
            return answer.value
        }

        /// SIGTERM, and the exit status.
        func stop() -> Int32 {
            daemon.signal(SIGTERM)
            return daemon.wait().status
        }
    }

    static func confirmation(_ debt: String, cents: String, reference: String) -> String {
        #"{"debt_id":"\#(debt)","amount_cents":"\#(cents)","paid_at":"2026-11-18T10:02:31-03:00","reference":"\#(reference)"}"#
    }

    @Test func aSignedPaymentStopsTheNextReminderAndTheThankYouGoesOutOnce() throws {
        let i = try Ingress()
        #expect(RunningLembra.waitUntil { (try? i.f.received().count) == 2 }, "both friendly reminders first\n\(i.daemon.stderr)")
        let answer = try i.post("/payments", Self.confirmation("d0", cents: "10000", reference: "E2E-d0"))
        #expect(answer.status == 200 && answer.body.contains(#""result":"recorded""#), "\(answer)")
        #expect(RunningLembra.waitUntil { (try? i.mails(to: "c0@").count) == 2 }, "the thank-you\n\(i.daemon.stderr)")
        // The same message again (a sender's retry) is a 200 with nothing new.
        let ticks = { i.daemon.stderr.components(separatedBy: "event=tick ").count }, before = ticks()
        let replay = try i.post("/payments", Self.confirmation("d0", cents: "10000", reference: "E2E-d0"))
        #expect(replay.status == 200 && replay.body.contains(#""result":"duplicate""#), "\(replay)")
        #expect(RunningLembra.waitUntil { ticks() >= before + 2 }, "two more ticks after the replay")
        #expect(i.stop() == 0, "\(i.daemon.stderr)")
        #expect(i.daemon.stderr.contains("event=ingress_payment debt=d0 reference=E2E-d0 amount_cents=10000 source=payments_webhook settled=true"))
        #expect(i.daemon.stderr.contains("event=ingress_duplicate debt=d0 reference=E2E-d0"))

        let c0 = try i.mails(to: "c0@")
        #expect(c0.count == 2 && c0.filter { $0["subject"]?.contains("obrigado") == true }.count == 1, "one reminder, one thank-you: \(c0.map { $0["subject"] ?? "" })")
        // Saturday the 21st, the 4d step: only the unpaid debt gets it, and no second thank-you.
        let saturday = try i.f.lembra("run", "--once", now: "2026-11-21T10:00:00-03:00")
        #expect(saturday.status == 0, "\(saturday)")
        #expect(try i.mails(to: "c0@").count == 2, "the paid debt's next reminder is not sent")
        #expect(try i.mails(to: "c1@").count == 2, "the unpaid one's is")
        let history = try i.f.lembra("history", "d0")
        #expect(history.stdout.components(separatedBy: "source=payments_webhook").count == 2, "one payment recorded\n\(history.stdout)")
    }

    @Test func badSignaturesStaleTimestampsAndOversizedBodiesAreRefusedAndUnknownOnesKept() throws {
        let i = try Ingress(maxBody: "1KB")
        #expect(try i.healthz() == "200 {\"result\":\"ok\"}\n")
        let body = Self.confirmation("d1", cents: "10100", reference: "E2E-d1")
        let tampered = try i.post("/payments", body, tamper: true)
        #expect(tampered.status == 401, "\(tampered)")
        let unsigned = try i.post("/payments", body, sign: false)
        #expect(unsigned.status == 401, "\(unsigned)")
        let stale = try i.post("/payments", body, timestamp: Self.wednesday - 3600)
        #expect(stale.status == 401, "\(stale)")
        let large = try i.post("/payments", #"{"pad":""# + String(repeating: "x", count: 2048) + #""}"#)
        #expect(large.status == 413 || large.status == 0, "413, or the connection closed before the rest was read: \(large)")
        let unknown = try i.post("/payments", Self.confirmation("nope", cents: "500", reference: "E2E-unknown"))
        #expect(unknown.status == 200 && unknown.body.contains("unmatched"), "\(unknown)")
        let pix = try i.post("/pix", #"{"pix":[{"endToEndId":"E2E-pix-unknown","txid":"NOSUCHTXID","valor":"12.34","horario":"2026-11-18T13:02:31.358Z"}]}"#,
                             sign: false, bearer: Self.pixToken)
        #expect(pix.status == 200 && pix.body.contains("unmatched"), "\(pix)")
        let noToken = try i.post("/pix", #"{"pix":[]}"#, sign: false)
        #expect(noToken.status == 401, "\(noToken)")
        #expect(i.stop() == 0, "\(i.daemon.stderr)")

        #expect(i.daemon.stderr.contains("event=ingress_rejected route=/payments reason=bad_signature"))
        #expect(i.daemon.stderr.contains("event=ingress_rejected route=/payments reason=missing_headers"))
        #expect(i.daemon.stderr.contains("event=ingress_rejected route=/payments reason=stale_timestamp"))
        #expect(i.daemon.stderr.contains("event=ingress_rejected route=/payments reason=too_large"))
        #expect(i.daemon.stderr.contains("event=ingress_rejected route=/pix reason=bad_token"))
        #expect(!i.daemon.stderr.contains("Cliente") && !i.daemon.stderr.contains("@example.com") && !i.daemon.stderr.contains("10100"),
                "no names, addresses or bodies in the log")
        let status = try i.f.lembra("status")
        #expect(status.stdout.contains("reason=unknown_debt debt=nope amount=5.00"), "\(status.stdout)")
        #expect(status.stdout.contains("reason=unknown_txid txid=NOSUCHTXID amount=12.34"), "\(status.stdout)")
        #expect(try i.f.lembra("history", "d1").stdout.contains("payment") == false, "nothing refused was recorded")
    }

    @Test func aPixNotificationForTheTxidInTheSentCodeSettlesThatDebt() throws {
        let i = try Ingress(paymentLink: "payment_link: { kind: pix, key: 11.222.333/0001-81, merchant_name: Oficina Teste, merchant_city: São Paulo }")
        #expect(RunningLembra.waitUntil { (try? i.f.received().count) == 2 }, "\(i.daemon.stderr)")
        let txid = try i.pixTxid(sentTo: "c1@")
        let body = #"{"pix":[{"endToEndId":"E1234567820261118130200000000001","txid":"\#(txid)","valor":"101.00","horario":"2026-11-18T13:02:31.358Z"}]}"#
        for path in ["/pix/pix", "/pix"] {
            let answer = try i.post(path, body, sign: false, bearer: Self.pixToken)
            #expect(answer.status == 200, "\(answer)")
        }
        #expect(RunningLembra.waitUntil { (try? i.mails(to: "c1@").count) == 2 }, "the thank-you\n\(i.daemon.stderr)")
        #expect(i.stop() == 0)
        #expect(i.daemon.stderr.contains("event=ingress_payment debt=d1 reference=E1234567820261118130200000000001 amount_cents=10100 source=pix settled=true"))
        #expect(i.daemon.stderr.contains("event=ingress_duplicate debt=d1"), "the PSP's second delivery")
    }

    /// SIGTERM while a confirmation is half received: the listener stops taking new ones but
    /// answers that one, after committing it, and the daemon then exits 0.
    @Test func sigtermAnswersTheConfirmationInFlightThenStops() throws {
        let i = try Ingress()
        #expect(RunningLembra.waitUntil { i.daemon.stderr.contains("event=tick ") }, "\(i.daemon.stderr)")
        let answer = try i.stopWithConfirmationInFlight(Self.confirmation("d0", cents: "10000", reference: "E2E-inflight"))
        #expect(answer?.status == 200 && answer?.body.contains("recorded") == true, "\(String(describing: answer))\n\(i.daemon.stderr)")
        #expect(i.daemon.wait().status == 0, "\(i.daemon.stderr)")
        #expect(i.daemon.stderr.contains("event=ingress_payment debt=d0 reference=E2E-inflight"))
        #expect(try i.f.lembra("history", "d0").stdout.contains("source=payments_webhook"), "committed before the answer")
    }

    /// SIGTERM while a tick sends (slowly: one connection, batches of 8) and a confirmation is
    /// half received: the daemon's one group stops both, and waits for both. The tick records its
    /// batch in flight and leaves the rest claimed; the confirmation is committed and answered;
    /// then the daemon exits 0.
    @Test func sigtermWhileATickSendsAndAConfirmationIsInFlightFinishesBoth() throws {
        let count = 40
        let i = try Ingress(smtp: SMTPTestServer(stall: 0.2), smtpConnections: 1, customers: count)
        #expect(RunningLembra.waitUntil(timeout: 60) { ((try? i.f.smtp.messages().count) ?? 0) >= 2 }, "the tick sends\n\(i.daemon.stderr)")
        let answer = try i.stopWithConfirmationInFlight(Self.confirmation("d39", cents: "10000", reference: "E2E-both"))
        let stopped = i.daemon.wait()
        #expect(answer?.status == 200 && answer?.body.contains("recorded") == true, "\(String(describing: answer))\n\(stopped.stderr)")
        #expect(stopped.status == 0, "\(stopped)")
        #expect(stopped.stderr.contains("event=stopping in_tick=true"), "the stop landed mid-tick\n\(stopped.stderr)")
        #expect(stopped.stderr.contains("event=ingress_payment debt=d39 reference=E2E-both"), "\(stopped.stderr)")
        #expect(stopped.stderr.hasSuffix("level=notice event=stopped\n"), "stopped, last: \(stopped.stderr.suffix(500))")
        let status = try i.f.lembra("status").stdout
        #expect(status.contains("sending 0") && status.contains("in_doubt 0"), "every attempt in flight recorded\n\(status)")
        let received = try i.f.received().count
        #expect(received < count, "stopped after the batch in flight: \(received)")
        #expect(CrashRecoveryTests.number(after: "sent ", in: status) == received, "\(status)")
        #expect(try i.f.lembra("history", "d39").stdout.contains("source=payments_webhook"), "committed before the answer")
    }

    /// A listener that cannot start (its port taken) stops the daemon before it is ready, exit 69:
    /// confirmations the operator counts on must not silently go nowhere.
    @Test func aTakenPortStopsTheDaemonWithUnavailable() throws {
        let first = try Ingress()
        let secret = try first.secrets.write("second-secret", Self.secret)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secret.path)
        let second = try Fixture(extraConfig: #"ingress: { listen: "127.0.0.1:\#(first.port)", payments_secret_file: "\#(secret.path)" }"#)
        let result = try #require(try second.lembra(within: 20, ["run"]), "it must not run on")
        #expect(result.status == 69, "\(result)")
        #expect(result.stderr.contains("event=stopped reason=\"cannot listen on 127.0.0.1:\(first.port):"), "\(result.stderr)")
        #expect(!result.stderr.contains("event=started"))
        #expect(first.stop() == 0)
    }

    /// Field 62, sub-field 05 of an EMV BR Code.
    static func txid(inPixCode code: String) -> String? {
        func fields(_ s: Substring) -> [String: Substring] {
            var out: [String: Substring] = [:], rest = s
            while rest.count >= 4, let n = Int(rest.dropFirst(2).prefix(2)) {
                out[String(rest.prefix(2))] = rest.dropFirst(4).prefix(n)
                rest = rest.dropFirst(4 + n)
            }
            return out
        }
        return fields(Substring(code))["62"].flatMap { fields($0)["05"] }.map(String.init)
    }
}
