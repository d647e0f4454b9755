import LembraCore
import LembraStore

/// A debt as the promise page shows it, formatted for the customer's locale.
struct PromiseSubjectView {
    let description: String
    let dueDate: String
    let amount: String

    init(_ subject: PromiseSubject, locale: MessageLocale) {
        let d = subject.debt
        description = d.description.isEmpty ? d.id : d.description
        dueDate = d.dueDate.formatted(locale: locale)
        amount = d.amount.formatted(currency: d.currency, locale: locale)
    }
}
