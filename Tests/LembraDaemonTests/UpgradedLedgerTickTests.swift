import Foundation
import GRDB
import LembraCore
@testable import LembraDaemon
@testable import LembraStore
import Testing

/// A reminder claimed by a Lembra whose ledger kept payloads in the attempt row goes out, as it
/// was rendered then, from the upgraded ledger (migration "attempt payloads"): the tick reads the
/// payload from its own table and the e-mail path decodes it (`RenderedEmail`).
@Suite struct UpgradedLedgerTickTests {
    static let now = Timestamp.parse("2026-11-18T10:00:00-03:00", timeZone: TimeZone(identifier: "UTC")!)!

    @Test func aReminderClaimedBeforeTheUpgradeIsSent() throws {
        let f = try ConfigFixture()
        let config = try f.load([ConfigFixture.business, "database: \(f.dir.path("ledger.sqlite").path)",
                                 "templates: \(f.dir.path("templates").path)",
                                 "channels:\n  email: { type: outbox, path: \(f.dir.path("out").path), from: \"Teste <a@b.com>\" }",
                                 ConfigFixture.ladders].joined(separator: "\n"))
        let old = try DatabaseQueue(path: config.database)
        try SQLiteLedger.migrator.migrate(old, upTo: "promises: payment promises, one per debt step")
        let t = Self.now.timeIntervalSince1970 - 3_600
        let payload = #"{"to":"ana@example.com","toName":"Ana","subject":"Lembrete guardado","body":"Escrito antes da atualização.\n"}"#
        try old.write { db in
            try db.execute(sql: "INSERT INTO customers (id, name, email, created_at, updated_at) VALUES ('c1', 'Ana', 'ana@example.com', ?, ?)",
                           arguments: [t, t])
            try db.execute(sql: "INSERT INTO debts (id, customer_id, amount_cents, due_date, created_at, updated_at) VALUES ('d1', 'c1', 10000, '2026-11-17', ?, ?)",
                           arguments: [t, t])
            try db.execute(sql: """
                INSERT INTO attempts (id, customer_id, kind, channel, template, segment, step_id, handoff, state, payload, created_at, updated_at)
                VALUES ('att_old', 'c1', 'reminder', 'email', 'friendly', 'forgetful', 'forgetful.1d', 0, 'claimed', ?, ?, ?)
                """, arguments: [Data(payload.utf8), t, t])
            try db.execute(sql: "INSERT INTO attempt_items (attempt_id, debt_id, due_date, step_id) VALUES ('att_old', 'd1', '2026-11-17', 'forgetful.1d')")
        }
        try old.close()

        let ledger = try SQLiteLedger(path: config.database)
        let summary = try Tick(config: config, ledger: ledger, log: Logfmt(write: { _ in })).run(now: Self.now)
        #expect(summary.sent == 1)
        let out = f.dir.path("out/new").path
        let files = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(files.count == 1)
        let mail = try String(contentsOfFile: out + "/" + (files.first ?? ""), encoding: .utf8)
        #expect(mail.contains("Subject: Lembrete guardado") && mail.contains("ana@example.com"), "\(mail)")
        #expect(try ledger.history(id: "c1") { _ in "" }.contains { $0.summary.contains("attempt=att_old ") && $0.summary.contains("state=sent") })
    }
}
