import Foundation
import LembraCore
@testable import LembraIngress
@testable import LembraStore
import Testing

/// The promise page's HTML and the form fields it reads back.
struct PromisePageTests {
    static let subject = PromiseSubject(
        debt: Debt(id: "D1", customerID: "C1", amount: Money(cents: 18_990), dueDate: CalendarDate(iso: "2026-11-17")!,
                   description: #"<script>alert("x")</script> & co"#),
        locale: .en, timezone: nil, alreadyUsed: false)
    static let dates = PromiseDates(today: CalendarDate(iso: "2026-11-18")!, maxDays: 10)

    @Test func theFormIsAccessibleLimitedAndEscaped() {
        let html = PromisePage.form(PromiseSubjectView(Self.subject, locale: .en), dates: Self.dates,
                                    fields: ["d": #"a"><b"#, "sig": "s"], problem: false, locale: .en)
        #expect(html.contains(#"<html lang="en">"#) && html.contains(#"<label for="date">Payment date</label>"#))
        #expect(html.contains(#"<input type="date" id="date" name="date" required min="2026-11-19" max="2026-11-28""#))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co") && !html.contains("<script>"))
        #expect(html.contains(#"<input type="hidden" name="d" value="a&quot;&gt;&lt;b">"#) && !html.contains("role=\"alert\""))
        let pt = PromisePage.form(PromiseSubjectView(Self.subject, locale: .ptBR), dates: Self.dates, fields: [:], problem: true, locale: .ptBR)
        #expect(pt.contains(#"<html lang="pt-BR">"#) && pt.contains("R$ 189,90") && pt.contains(#"role="alert""#) && pt.contains("28/11/2026"))
    }

    @Test func formFieldsAreDecodedAndRepeatsRefused() {
        #expect(FormFields.parse("d=D%201&step=a+b&date=2026-11-20") == ["d": "D 1", "step": "a b", "date": "2026-11-20"])
        #expect(FormFields.parse("d=1&d=2") == nil)
        #expect(FormFields.parse("d=%E0%A4%A") == nil)
    }
}
