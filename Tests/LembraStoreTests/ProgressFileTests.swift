import Foundation
@testable import LembraStore
import Testing
import TestSupport

/// The progress file: what a tick writes is what the next one reads, and nothing it can't vouch
/// for (another boot, a damaged line, a line cut short) is taken at its word.
@Suite struct ProgressFileTests {
    static let boot = "4b7d5c0e-1111-2222-3333-444455556666"
    static let at = Date(timeIntervalSince1970: 1_763_470_800.25)

    /// A fresh ledger path in its own temp dir (the file itself is not needed).
    static func database(_ dir: TemporaryDirectory) -> String { dir.path("ledger.sqlite").path }

    @Test func whatIsWrittenIsReadBackAsEachAttemptsLastEvent() throws {
        let dir = try TemporaryDirectory()
        let db = Self.database(dir)
        let file = try ProgressFile(database: db, bootID: Self.boot)
        file.prepared(["att_a", "att_b", "att_c", "att_d", "att_e", "att_f", "att_h"])
        for id in ["att_a", "att_b", "att_c", "att_d", "att_e"] { #expect(file.started(id)) }
        file.finished([("att_a", .sent),
                       ("att_b", .retry(at: Self.at, reason: "step=rcpt reply_code=451 error=\"try later\"", mayHaveArrived: false))])
        // A lane's next start carries the outcomes it decided since its last line.
        #expect(file.started("att_h", after: [("att_c", .dead(reason: "step=rcpt reply_code=550 error=\"no such user\"")),
                                              ("att_d", .inDoubt(reason: "step=timeout error=\"after the final dot\nsecond line\""))]))
        file.finished([("att_h", .channelDown(at: Self.at, reason: "channel_down: step=auth curl_code=67 reply_code=535 error=\"login denied\""))])
        file.finished([])
        #expect(file.failure == nil)

        let record = ProgressRecord.read(database: db, bootID: Self.boot)
        #expect(record.event("att_h") == .finished(.channelDown(at: Self.at, reason: "channel_down: step=auth curl_code=67 reply_code=535 error=\"login denied\"")))
        #expect(record.distrust == nil)
        #expect(record.event("att_a") == .finished(.sent))
        #expect(record.event("att_b") == .finished(.retry(at: Self.at, reason: "step=rcpt reply_code=451 error=\"try later\"", mayHaveArrived: false)))
        #expect(record.event("att_c") == .finished(.dead(reason: "step=rcpt reply_code=550 error=\"no such user\"")))
        #expect(record.event("att_d") == .finished(.inDoubt(reason: "step=timeout error=\"after the final dot second line\"")), "one line, always")
        #expect(record.event("att_e") == .started)
        #expect(record.event("att_f") == .prepared)
        #expect(record.event("att_g") == nil, "never mentioned: only the ledger knows of it")
    }

    @Test func theFileIsCreatedAfreshForEachTickAndOnlyTheOwnerCanReadIt() throws {
        let dir = try TemporaryDirectory()
        let db = Self.database(dir)
        let old = try ProgressFile(database: db, bootID: Self.boot)
        _ = old.started("att_old")
        let new = try ProgressFile(database: db, bootID: Self.boot)
        _ = new.started("att_new")
        let record = ProgressRecord.read(database: db, bootID: Self.boot)
        #expect(record.event("att_old") == nil, "an older tick's lines never speak for this one")
        #expect(record.event("att_new") == .started)
        let mode = try FileManager.default.attributesOfItem(atPath: ProgressFile.path(forDatabase: db))[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    /// A symlink planted at the file's path is replaced, never followed.
    @Test func aSymlinkInItsPlaceIsNeverFollowed() throws {
        let dir = try TemporaryDirectory()
        let db = Self.database(dir)
        let target = try dir.write("precious.txt", "keep me\n")
        try FileManager.default.createSymbolicLink(atPath: ProgressFile.path(forDatabase: db), withDestinationPath: target.path)
        let file = try ProgressFile(database: db, bootID: Self.boot)
        #expect(file.started("att_a"))
        #expect(try String(contentsOf: target, encoding: .utf8) == "keep me\n")
        #expect(ProgressRecord.read(database: db, bootID: Self.boot).event("att_a") == .started)
    }

    /// The last tick's file must go before anything is sent: one that can't be removed (here a
    /// folder in its place) stops the tick instead of speaking for the next one's attempts.
    @Test func aPreviousFileThatCannotBeRemovedStopsTheTick() throws {
        let dir = try TemporaryDirectory()
        let db = Self.database(dir)
        try FileManager.default.createDirectory(atPath: ProgressFile.path(forDatabase: db), withIntermediateDirectories: false)
        #expect(throws: StoreError.self) { try ProgressFile(database: db, bootID: Self.boot) }
    }

    /// Written under another boot (the machine restarted: unsynced lines may be lost), or without
    /// a boot id to compare: not trusted.
    @Test func aFileFromAnotherBootIsNotTrusted() throws {
        let dir = try TemporaryDirectory()
        let db = Self.database(dir)
        _ = try ProgressFile(database: db, bootID: Self.boot).started("att_a")
        let other = ProgressRecord.read(database: db, bootID: "99999999-0000-0000-0000-000000000000")
        #expect(other.distrust == "other_boot")
        #expect(other.event("att_a") == nil)
        #expect(ProgressRecord.read(database: db, bootID: nil).distrust == "no_boot_id")
        #expect(ProgressRecord.read(database: dir.path("none.sqlite").path, bootID: Self.boot).distrust == "missing")
    }

    /// Without a boot id nothing is recorded (no file a later boot could mistake), and transfers go ahead.
    @Test func withoutABootIDNothingIsRecorded() throws {
        let dir = try TemporaryDirectory()
        let db = Self.database(dir)
        let file = try ProgressFile(database: db, bootID: nil)
        #expect(file.started("att_a"))
        #expect(file.failure?.contains("boot id") == true)
        #expect(!FileManager.default.fileExists(atPath: ProgressFile.path(forDatabase: db)))
    }

    static func lines(_ payloads: [String]) -> Data {
        Data(([ProgressLine.header(bootID: boot)] + payloads).map(ProgressLine.encode).joined().utf8)
    }

    /// The crash cut the last write short: that line is left out. A `started` not fully written
    /// was never followed by its transfer; a `finished` cut short leaves the attempt `started`.
    @Test func aLastLineCutShortIsLeftOut() {
        var data = Self.lines(["P att_a", "S att_a", "D att_a sent"])
        data.removeLast(4)
        let record = ProgressRecord.parse(data, bootID: Self.boot)
        #expect(record.distrust == nil)
        #expect(record.event("att_a") == .started)

        var start = Self.lines(["P att_b"]) + Data(ProgressLine.encode("S att_b").utf8)
        start.removeLast(3)
        #expect(ProgressRecord.parse(start, bootID: Self.boot).event("att_b") == .prepared)
    }

    /// A line damaged before the end (a torn write followed by another thread's whole line, which
    /// would otherwise read as a plausible reason) distrusts the whole file.
    @Test func aDamagedLineBeforeTheEndDistrustsTheFile() {
        let torn = String(ProgressLine.encode("D att_a retry 1763470800.0 1 step=timeout error=x").dropLast(6))
        let glued = Self.lines(["P att_a", "P att_b", "S att_a"]) + Data((torn + ProgressLine.encode("S att_b")).utf8)
        let record = ProgressRecord.parse(glued, bootID: Self.boot)
        #expect(record.distrust == "corrupt")
        #expect(record.event("att_b") == nil)

        #expect(ProgressRecord.parse(Self.lines(["X att_a"]), bootID: Self.boot).distrust == "corrupt", "an unknown event")
        #expect(ProgressRecord.parse(Data("garbage\n".utf8), bootID: Self.boot).distrust == "corrupt", "no header")
        #expect(ProgressRecord.parse(Data(), bootID: Self.boot).distrust == "empty")
    }

    /// A line is written as it was before the byte-level check and the hand-written checksum
    /// digits: reasons with every kind of line break (CR LF, U+0085, U+2028) made one line, and
    /// checksums of every size in 8 digits.
    @Test func linesAreEncodedAsBefore() {
        func legacy(_ payload: String) -> String {
            let clean = payload.contains(where: \.isNewline) ? String(payload.map { $0.isNewline ? " " : $0 }) : payload
            let digits = String(ProgressLine.checksum(clean.utf8), radix: 16)
            return String(repeating: "0", count: 8 - digits.count) + digits + " " + clean + "\n"
        }
        var rng = SeededGenerator(seed: 0x9E0)
        let pieces = ["D att_x", " sent", " retry 1795006800.5 1 ", "451 busy", "\n", "\r\n", "\r", "\u{b}", "\u{c}", "\u{85}", "\u{2028}",
                      "\u{2029}", "ção", "😀", "a\u{301}", " ", "\t"]
        var shortChecksums = 0
        for i in 0..<20_000 {
            let payload = (0..<Int(rng.next() % 8)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            #expect(ProgressLine.encode(payload) == legacy(payload), "case \(i)")
            if ProgressLine.checksum(payload.utf8) < 0x1000_0000 { shortChecksums += 1 }
        }
        #expect(shortChecksums > 100, "checksums with leading zeros are covered")
    }
}
