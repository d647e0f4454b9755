import Foundation
import Testing
import TestSupport

/// Hostile files through the binary: every bad CSV exits 65 with `FILE:ROW: ...` and changes
/// nothing; every bad config exits 78 with `FILE:LINE:COL: ...`; nothing crashes or hangs.
@Suite(.serialized) struct HostileInputTests {
    static let header = "id,customer_id,amount,due_date,description\n"

    /// (name, kind, bytes, expected text after `FILE:`)
    static let corpus: [(String, String, [UInt8], String)] = [
        ("broken-quote", "customers", Array("id,name,email\nc9,\"Ana,ana@example.com\n".utf8), "2: a quoted field is never closed"),
        ("stray-quote", "customers", Array("id,name,email\nc9,An\"a,ana@example.com\n".utf8), "2: a quote inside an unquoted field"),
        ("no-encoding", "customers", Array("id,name,email\nc9,".utf8) + [0xC3, 0x28, 0x81] + Array(",ana@example.com\n".utf8), "2: neither UTF-8 nor Windows-1252"),
        ("huge-field", "customers", Array("id,name,email\nc9,".utf8) + [UInt8](repeating: 0x41, count: 10_000_000) + Array(",a@b.com\n".utf8),
         "2: a field longer than"),
        ("negative", "debts", Array((header + "d9,c1,-10.00,2026-11-17,x\n").utf8), "2: amount: "),
        ("huge-amount", "debts", Array((header + "d9,c1,99999999999999999999.99,2026-11-17,x\n").utf8), "2: amount: "),
        ("zero", "debts", Array((header + "d9,c1,0.00,2026-11-17,x\n").utf8), "2: amount: "),
        ("over-maximum", "debts", Array((header + "d9,c1,1000000000.01,2026-11-17,x\n").utf8),
         "2: amount: at most 1000000000.00 (one billion) per amount"),
        ("thirteen-digits", "debts", Array((header + "d9,c1,9999999999999.99,2026-11-17,x\n").utf8),
         "2: amount: at most 1000000000.00 (one billion) per amount"),
        ("payment-over-maximum", "payments", Array("debt_id,amount,paid_at\nd1,1000000000.01,2026-11-17\n".utf8),
         "2: amount: at most 1000000000.00 (one billion) per amount"),
        ("impossible-date", "debts", Array((header + "d9,c1,10.00,2026-02-30,x\n").utf8), "2: due_date: 2026-02-30 is not a date: February 2026 has 28 days"),
        ("month-13", "debts", Array((header + "d9,c1,10.00,2026-13-01,x\n").utf8), "2: due_date: no month 13"),
        ("duplicate-ids", "debts", Array((header + "d9,c1,10.00,2026-11-17,x\nd9,c1,11.00,2026-11-17,y\n").utf8), "3: id: id repeats row 2"),
        ("newline-in-name", "customers", Array("id,name,email\nc9,\"Ana\nSouza\",ana@example.com\n".utf8), "2: name: contains control characters"),
        ("cr-in-address", "customers", Array("id,name,email\nc9,Ana,\"ana@example.com\r\nBcc: x@y.z\"\n".utf8), "2: email: "),
        ("nul-in-name", "customers", Array("id,name,email\nc9,An".utf8) + [0] + Array("a,ana@example.com\n".utf8), "2: name: contains control characters"),
        ("formula", "customers", Array("id,name,email\nc9,=cmd|' /C calc'!A0,ana@example.com\n".utf8), "2: name: starts with '='"),
        ("formula-plus", "debts", Array((header + "d9,c1,10.00,2026-11-17,+SUM(A1)\n").utf8), "2: description: starts with '+'"),
        ("formula-at", "customers", Array("id,name,email\nc9,@SUM(A1),ana@example.com\n".utf8), "2: name: starts with '@'"),
        ("ragged", "customers", Array("id,name,email\nc9,Ana\n".utf8), "2: 2 fields, but the header has 3"),
        ("unknown-column", "customers", Array("id,name,email,evil\nc9,Ana,a@b.com,x\n".utf8), "1: evil: unknown column"),
        ("empty", "customers", [], "1: the file is empty"),
        ("bare-cr", "customers", Array("id,name,email\rc9,Ana,a@b.com\r".utf8), "1: a bare carriage return"),
    ]

    func fixture() throws -> Fixture {
        let f = try Fixture()
        #expect(try f.lembra("import", "customers", f.csv("c.csv", "id,name,email\nc1,Ana,ana@example.com\n")).status == 0)
        #expect(try f.lembra("import", "debts", f.csv("d.csv", Self.header + "d1,c1,10.00,2026-11-17,x\n")).status == 0)
        return f
    }

    @Test func everyBadCSVExits65WithItsRowAndChangesNothing() throws {
        let f = try fixture()
        let before = try f.lembra("status").stdout
        for (name, kind, bytes, expected) in Self.corpus {
            let path = f.dir.path("\(name).csv").path
            #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
            let r = try f.lembra("import", kind, path)
            #expect(r.status == 65, "\(name): \(r)")
            #expect(r.stderr.contains("\(path):\(expected)"), "\(name): expected \(path):\(expected)\n\(r.stderr.prefix(2000))")
            #expect(r.stderr.contains("\(path): nothing imported"), "\(name)")
        }
        #expect(try f.lembra("status").stdout == before, "nothing changed")
        #expect(try f.lembra("history", "c9").status == 65, "no row of any bad file was imported")
        #expect(try f.lembra("history", "d9").status == 65)
    }

    @Test func aPaymentAboveTheMaximumIsRefused() throws {
        let f = try fixture()
        let before = try f.lembra("history", "d1").stdout
        let r = try f.lembra("pay", "d1", "--amount", "1000000000.01")
        #expect(r.status == 64, "\(r)")
        #expect(r.stderr.contains("--amount: '1000000000.01': at most 1000000000.00 (one billion) per amount"), "\(r)")
        #expect(try f.lembra("history", "d1").stdout == before, "nothing recorded")
    }

    /// Amounts an older version stored (13 digits, before imports bounded them) add up past
    /// Int64 cents over thousands of debts: that killed every tick (SIGILL), for every customer,
    /// and `status` failed. Now that customer's reminder waits, logged and in `history` with the
    /// reason, until an import fixes the amounts; the other customers' reminders go out.
    @Test func amountsThatOverflowHoldTheirCustomerAndNeverStopTheTick() throws {
        let f = try Fixture()
        var debts = "id,customer_id,amount,due_date\nok1,c2,10.00,2026-11-17\n"
        for i in 0..<9_300 { debts += "big\(i),c1,1000.00,2026-11-17\n" }
        let debtsFile = try f.csv("d.csv", debts)
        #expect(try f.lembra("import", "customers", f.csv("c.csv", "id,name,email\nc1,Ana,ana@example.com\nc2,Bia,bia@example.com\n")).status == 0)
        #expect(try f.lembra("import", "debts", debtsFile).status == 0)
        try LockBeforeMigrationTests.python("""
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            c.execute("UPDATE debts SET amount_cents = 999999999999999 WHERE customer_id = 'c1'")
            c.commit()
            """, f.dir.path("lembra.sqlite").path)

        let run = try f.lembra("run", "--once")
        #expect(run.status == 0, "\(run.description.prefix(3000))")
        #expect(try f.received().map { $0["to"] ?? "" } == ["Bia <bia@example.com>"])
        let held = run.stderr.split(separator: "\n").filter { $0.contains("reason=amount_overflow") }
        #expect(held.count == 9_300, "\(run.stderr.prefix(2000))")
        #expect(held.allSatisfy { $0.hasPrefix("level=warning event=held customer=c1 debt=big") && $0.contains(" step=chronic.1d ") })
        #expect(!run.stderr.contains("Ana") && !run.stderr.contains("ana@example.com"))
        #expect(try f.lembra("history", "big7").stdout.contains("waiting     customer=c1 debt=big7  reason=amount_overflow"))
        let status = try f.lembra("status")
        #expect(status.status == 0 && status.stdout.contains("Open total: BRL too large to add up"), "\(status)")

        let again = try f.lembra("run", "--once")
        #expect(again.status == 0 && !again.stderr.contains("amount_overflow"), "held until the data changes, not every tick")
        #expect(try f.received().count == 1)

        #expect(try f.lembra("import", "debts", debtsFile).status == 0, "the amounts fixed")
        #expect(try f.lembra("run", "--once").status == 0)
        #expect(try f.received().map { $0["to"] ?? "" }.sorted() == ["Ana <ana@example.com>", "Bia <bia@example.com>"])
    }

    @Test func aSpreadsheetBOMIsAccepted() throws {
        let f = try fixture()
        let path = f.dir.path("bom.csv").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data([0xEF, 0xBB, 0xBF] + Array("id,name,email\nc2,Bia,bia@example.com\n".utf8))))
        let r = try f.lembra("import", "customers", path)
        #expect(r.status == 0, "\(r)")
        #expect(try f.lembra("history", "c2").status == 0)
    }

    static func checkConfig(_ name: String, _ bytes: [UInt8], in dir: TemporaryDirectory) throws -> (String, LembraBinary.Result) {
        let path = dir.path(name).path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        let started = Date()
        let r = try LembraBinary.run(["check-config", "--config", path])
        #expect(Date().timeIntervalSince(started) < 20, "\(name) took too long")
        return (path, r)
    }

    @Test func everyBadConfigExits78WithLocatedProblems() throws {
        let dir = try TemporaryDirectory()
        var bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n"
        for i in 1...12 { bomb += "\(Character(Unicode.Scalar(UInt8(97 + i)))): &\(Character(Unicode.Scalar(UInt8(97 + i)))) [" + Array(repeating: "*\(Character(Unicode.Scalar(UInt8(96 + i))))", count: 9).joined(separator: ", ") + "]\n" }
        var garbage = SeededGenerator(seed: 7)
        let cases: [(String, [UInt8])] = [
            ("empty.yaml", []),
            ("garbage.yaml", (0..<4096).map { _ in UInt8(truncatingIfNeeded: garbage.next()) }),
            ("bomb.yaml", Array(bomb.utf8)),
            ("big.yaml", Array(("database: /tmp/x.sqlite\n" + String(repeating: "# padding padding padding padding padding padding padding\n", count: 90_000)
                + "tick: [").utf8)),
            ("types.yaml", Array("""
                database: [1, 2]
                tick: {a: b}
                timezone: 42
                business: "not a map"
                window: [weekdays]
                limits: { min_gap: yes, per_customer_per_week: lots }
                segments: { name: x }
                ladders: 7
                on_paid: "thanks"
                channels: [email]
                in_doubt: maybe
                retry: { max_tries: -1, base_delay: [], max_delay: {} }
                shutdown_timeout: forever
                """.utf8)),
        ]
        for (name, bytes) in cases {
            let (path, r) = try Self.checkConfig(name, bytes, in: dir)
            #expect(r.status == 78, "\(name): \(r.description.prefix(3000))")
            let lines = r.stderr.split(separator: "\n").filter { !$0.contains(": warning: ") }
            #expect(!lines.isEmpty, "\(name)")
            for line in lines {
                #expect(line.range(of: #"^\#(NSRegularExpression.escapedPattern(for: path)):\d+:\d+: \S"#, options: .regularExpression) != nil,
                        "\(name): not FILE:LINE:COL: \(line.prefix(300))")
            }
        }
    }

    /// Points the fixture's config at a copy of the shipped templates, for a test to change.
    static func ownTemplates(_ f: Fixture) throws -> URL {
        let shipped = RepositoryPaths.root.appendingPathComponent("config/templates")
        let copy = f.dir.path("templates")
        try FileManager.default.copyItem(at: shipped, to: copy)
        let config = try String(contentsOfFile: f.configPath, encoding: .utf8)
        try config.replacingOccurrences(of: "templates: \(shipped.path)", with: "templates: \(copy.path)")
            .write(toFile: f.configPath, atomically: true, encoding: .utf8)
        return copy
    }

    /// Templates that crashed `check-config` (nested 800 deep: a stack overflow in the Mustache
    /// parser), or that it let through though they fail later: a Subject whose section spans
    /// lines (every e-mail with two debts failed), a variable behind changed delimiters (never
    /// checked), the debts list inside itself (n^depth copies).
    @Test func templatesThatWouldCrashOrFailAreRefusedWithTheirLine() throws {
        let f = try Fixture()
        let friendly = try Self.ownTemplates(f).appendingPathComponent("pt-BR/friendly.mustache")
        let nested = String(repeating: "{{#customer.name}}", count: 800) + "x" + String(repeating: "{{/customer.name}}", count: 800)
        let cases = [
            ("Subject: Oi\n\n\(nested)\n", "3:289: sections nested more than 16 deep"),
            ("Subject: Oi {{#debts}}{{id}}\n{{/debts}}\n\nCorpo\n", "1:13: the section opened here on the Subject line must close on it"),
            ("Subject: Oi\n\n{{=<% %>=}}<%customer.nome%>\n", "3:1: changing the delimiters is not supported"),
            ("Subject: Oi\n\n{{#debts}}{{#debts}}{{id}}{{/debts}}{{/debts}}\n", "3:11: a {{#debts}} section inside another"),
        ]
        for (text, expected) in cases {
            try text.write(to: friendly, atomically: true, encoding: .utf8)
            let r = try f.lembra("check-config")
            #expect(r.status == 78, "\(expected): \(r.description.prefix(2000))")
            #expect(r.stderr.contains("\(friendly.path):\(expected)"), "\(r.description.prefix(2000))")
        }
    }

    /// `tick: 99999999999999999999d` passed `check-config` and then overflowed the daemon's timer
    /// (SIGILL); a huge `expires_in` overflowed every payment link's expiry, in every tick.
    @Test func durationsThatWouldOverflowAreRefusedWithTheirLine() throws {
        let f = try Fixture(paymentLink: #"payment_link: { kind: url, template: "https://pay.test/d/{{debt.id}}", expires_in: 99999999999999999999d }"#)
        let config = try String(contentsOfFile: f.configPath, encoding: .utf8)
        try config.replacingOccurrences(of: "tick: 1s", with: "tick: 99999999999999999999d").write(toFile: f.configPath, atomically: true, encoding: .utf8)
        let r = try f.lembra("check-config")
        #expect(r.status == 78, "\(r)")
        #expect(r.stderr.contains("\(f.configPath):3:7: tick: must be at most 1d, got '99999999999999999999d'"), "\(r)")
        #expect(r.stderr.contains("payment_link.expires_in: must be at most 365d, got '99999999999999999999d'"), "\(r)")
        let run = try f.lembra("run", "--once")
        #expect(run.status == 78 && run.stderr.contains("tick: must be at most 1d"), "the daemon checks the config itself: \(run)")
    }
}
