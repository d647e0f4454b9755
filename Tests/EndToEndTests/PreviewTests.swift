import Foundation
import Testing
import TestSupport

/// `preview` and `run --dry-run` show what would go out, and why not, and record nothing.
struct PreviewTests {
    static let customers = "id,name,email,phone\nc1,Ana,ana@example.com,\nc2,Hugo,,+55 31 98888-7777\n"
    static let debts = "id,customer_id,amount,due_date\nd1,c1,10.00,2026-11-17\nd2,c2,20.00,2026-11-16\n"

    @Test func previewWalksTheLadderDayByDayAndRecordsNothing() throws {
        let f = try Fixture()
        #expect(try f.lembra("import", "customers", f.csv("c.csv", Self.customers)).status == 0)
        #expect(try f.lembra("import", "debts", f.csv("d.csv", Self.debts)).status == 0)
        let preview = try f.lembra("preview", "--days", "4")
        #expect(preview.status == 0, "\(preview)")
        let lines = preview.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("send  customer=c1 segment=forgetful step=forgetful.1d channel=email template=friendly debts=d1"), "\(preview.stdout)")
        #expect(lines.contains { $0.hasPrefix("skip  reason=no_address customer=c2") }, "Hugo has no e-mail address")
        #expect(lines.contains("held  customer=c2 debt=d2 step=forgetful.4d channel=email reason=holiday until=2026-11-21 08:00 -03:00"),
                "20/11 is a national holiday\n\(preview.stdout)")
        #expect(lines.first == "== 2026-11-18 10:00 -03:00" && lines.contains("== 2026-11-19 10:00 -03:00"), "\(preview.stdout)")
        // `--utc` for scripts, before or after the subcommand, as `--config` and `--now` may be.
        for args in [["--utc", "preview", "--days", "4"], ["preview", "--days", "4", "--utc"]] {
            let utc = try LembraBinary.run(args + ["--config", f.configPath, "--now", Fixture.wednesday])
            let utcLines = utc.stdout.split(separator: "\n").map(String.init)
            #expect(utcLines.first == "== 2026-11-18T13:00:00Z", "\(args)\n\(utc)")
            #expect(utcLines.contains("held  customer=c2 debt=d2 step=forgetful.4d channel=email reason=holiday until=2026-11-21T11:00:00Z"),
                    "\(args)\n\(utc)")
        }
        #expect(lines.contains("send  customer=c1 segment=forgetful step=forgetful.4d channel=email template=second-notice debts=d1"))

        let dry = try f.lembra("run", "--once", "--dry-run")
        #expect(dry.stdout.contains("send  customer=c1"), "\(dry)")
        #expect(try f.received().isEmpty)
        #expect(try f.lembra("status").stdout.contains("claimed 0, sending 0, sent 0"), "preview and dry-run record nothing")
    }
}
