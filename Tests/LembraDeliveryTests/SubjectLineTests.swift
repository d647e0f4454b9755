import Foundation
@testable import LembraDelivery
import Testing

/// A lane renders each message with its last Subject line at hand (`SubjectLine`): every
/// message must come out byte for byte as it does rendered on its own, whatever came before.
@Suite struct SubjectLineTests {
    @Test func eachMessageIsRenderedAsOnItsOwnWhateverCameBefore() throws {
        let subjects = [
            "Lembrete: sua fatura vence em 3 dias — ação necessária", "Lembrete: sua fatura vence em 3 dias — ação necessária",
            "Olá", "Lembrete: sua fatura vence em 3 dias — ação necessária",
            "Fatura de Jos\u{E9}", "Fatura de Jose\u{301}", "Fatura de Jos\u{E9}", // the same to String's ==, not in bytes
            "x", "x ", String(repeating: "palavra ", count: 20), "=?utf-8?q?x?=",
        ]
        let subjectLine = SubjectLine()
        for subject in subjects {
            let message = try Fixtures.message(subject: subject)
            let alone = try MIMEMessage(rendering: message).bytes
            #expect(try MIMEMessage(rendering: message, subjects: subjectLine).bytes == alone, "\(subject)")
        }
    }
}
