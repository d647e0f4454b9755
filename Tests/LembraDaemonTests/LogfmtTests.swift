import Foundation
import LembraCore
@testable import LembraDaemon
import Synchronization
import Testing

struct LogfmtTests {
    final class Lines: Sendable {
        let value = Mutex<[String]>([])
    }

    @Test func quotesValuesAndAddsThePriorityUnderJournald() {
        let lines = Lines()
        let log = Logfmt(journal: true) { line in lines.value.withLock { $0.append(line) } }
        log.log(.warning, "retry", ["attempt": "att_1", "reason": "451 try \"later\"\nnow", "ms": 41])
        #expect(lines.value.withLock { $0 } == ["<4>level=warning event=retry attempt=att_1 reason=\"451 try \\\"later\\\"\\nnow\" ms=41\n"])
    }

    /// Plain printable ASCII goes out as it is; anything else takes the full check, as before.
    @Test func quotesExactlyWhatNeedsIt() {
        #expect(Logfmt.quote("att_1") == "att_1")
        #expect(Logfmt.quote("ação") == "ação")
        #expect(Logfmt.quote("") == "\"\"")
        #expect(Logfmt.quote("a=b") == "\"a=b\"")
        #expect(Logfmt.quote("a\tb") == "\"a\tb\"")
        #expect(Logfmt.quote("a\u{2028}b") == "\"a\u{2028}b\"")
        #expect(Logfmt.quote("c:\\x") == "\"c:\\\\x\"")
    }

    /// The line of text fields and a count (each message's) writes what the generic line writes:
    /// plain values as they are, in short and long strings alike, and the others quoted.
    @Test func theTextLineQuotesAsTheGenericLine() {
        let log = Logfmt(journal: true) { _ in }
        let long = String(repeating: "d_", count: 20)
        #expect(log.line(.info, "sent", texts: ["attempt": "att_1", "debt": long, "segment": "", "reason": "a \"b\"", "name": "ação"], count: ("ms", 41))
                == "<6>level=info event=sent attempt=att_1 debt=\(long) segment=\"\" reason=\"a \\\"b\\\"\" name=ação ms=41\n")
        for value in ["att_1", long, "", "a=b", "a\tb", "ação", "x\ny"] {
            #expect(log.line(.info, "sent", texts: ["debt": value], count: ("ms", 7)) == log.line(.info, "sent", ["debt": value, "ms": 7]))
        }
    }

    @Test func plainWithoutJournald() {
        let lines = Lines()
        Logfmt(journal: false) { line in lines.value.withLock { $0.append(line) } }.log(.info, "tick", ["summary": "sent=1 held=0"])
        #expect(lines.value.withLock { $0 } == ["level=info event=tick summary=\"sent=1 held=0\"\n"])
    }
}

extension LogfmtTests {
    /// A time a line is about is written in the business's zone with its offset (one token, no
    /// quotes), or in UTC with `--utc`; the line itself carries no timestamp (journald adds one).
    @Test func timesAreWrittenInTheBusinessZoneOrUTC() {
        let at = Date(timeIntervalSince1970: 1_795_006_800) // 2026-11-18T13:00:00Z
        let saoPaulo = TimeZone(identifier: "America/Sao_Paulo")!
        for (times, expected) in [(TimeDisplay(timeZone: saoPaulo), "next=2026-11-18T10:00:00-03:00"),
                                  (TimeDisplay(timeZone: saoPaulo, utc: true), "next=2026-11-18T13:00:00Z")] {
            let lines = Lines()
            Logfmt(journal: false, times: times) { line in lines.value.withLock { $0.append(line) } }.log(.warning, "retry", ["attempt": "att_1", "next": at])
            #expect(lines.value.withLock { $0 } == ["level=warning event=retry attempt=att_1 \(expected)\n"])
        }
    }

    /// A reload that moves the business to another zone moves the log's times with it; `--utc` stays.
    @Test func aReloadedZoneIsFollowed() {
        let lines = Lines()
        let log = Logfmt(journal: false, times: TimeDisplay(timeZone: TimeZone(identifier: "America/Sao_Paulo")!)) { line in
            lines.value.withLock { $0.append(line) }
        }
        let at = Date(timeIntervalSince1970: 1_795_006_800)
        log.showingTimes(in: TimeZone(identifier: "America/Manaus")!).log(.info, "tick", ["at": at])
        #expect(lines.value.withLock { $0 } == ["level=info event=tick at=2026-11-18T09:00:00-04:00\n"])
        #expect(Logfmt(times: .iso).showingTimes(in: TimeZone(identifier: "America/Manaus")!).times.utc)
    }
}
