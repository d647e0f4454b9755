import Foundation
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

    @Test func plainWithoutJournald() {
        let lines = Lines()
        Logfmt(journal: false) { line in lines.value.withLock { $0.append(line) } }.log(.info, "tick", ["summary": "sent=1 held=0"])
        #expect(lines.value.withLock { $0 } == ["level=info event=tick summary=\"sent=1 held=0\"\n"])
    }
}
