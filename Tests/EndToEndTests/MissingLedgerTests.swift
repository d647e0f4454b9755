import Foundation
import Testing
import TestSupport

/// A `database:` that points nowhere (a typo, an unmounted disk) must not look like an empty
/// ledger: only the commands that start one (`import`, `run`) create the file.
struct MissingLedgerTests {
    @Test func commandsThatNeedDataRefuseAMissingLedgerAndCreateNothing() throws {
        let f = try Fixture()
        let database = f.dir.path("nowhere/deeper/lembra.sqlite").path
        try StorageFaultTests.pointDatabase(f, to: database)
        let commands: [[String]] = [
            ["status"], ["history", "c1"], ["preview"], ["backup", f.dir.path("copy.sqlite").path], ["run", "--once", "--dry-run"],
            ["pay", "d1"], ["pause", "c1", "--reason", "x"], ["resume", "c1"], ["dispute", "d1", "--reason", "x"], ["resolve", "d1"],
            ["opt-out", "c1", "--reason", "x"], ["opt-in", "c1"],
        ]
        for args in commands {
            let result = try LembraBinary.run(args + ["--config", f.configPath, "--now", Fixture.wednesday])
            #expect(result.status == 69, "\(args): \(result)")
            #expect(result.stderr.contains("\(database): no ledger here"), "\(args): \(result)")
        }
        #expect(!FileManager.default.fileExists(atPath: f.dir.path("nowhere").path), "no directory or file was created")
        #expect(!FileManager.default.fileExists(atPath: f.dir.path("copy.sqlite").path))

        // An import starts the ledger, after which the same commands work.
        #expect(try f.lembra("import", "customers", f.csv("c.csv", "id,name,email\nc1,Ana,ana@example.com\n")).status == 0)
        #expect(FileManager.default.fileExists(atPath: database))
        let status = try f.lembra("status")
        #expect(status.status == 0, "\(status)")
    }

    @Test func theDaemonsFirstRunStartsTheLedger() throws {
        let f = try Fixture()
        let database = f.dir.path("state/lembra.sqlite").path
        try StorageFaultTests.pointDatabase(f, to: database)
        let run = try f.lembra("run", "--once")
        #expect(run.status == 0, "\(run)")
        #expect(FileManager.default.fileExists(atPath: database))
    }
}
