import LembraCore

/// The HTML of the payment promise page, in the customer's language: plain HTML with a real
/// form (no JavaScript), a `lang` attribute, labels on every field, and the date limits both in
/// the picker (`min`, `max`) and checked again by the server. Polite in every answer (CDC art. 42).
enum PromisePage {
    /// The form: the debt, its amount, and a date picker from `dates.first` to `dates.last`.
    /// `fields` are the link's own (`d`, `due`, `step`, `exp`, `sig`), sent back as hidden inputs.
    static func form(_ subject: PromiseSubjectView, dates: PromiseDates, fields: [String: String], problem: Bool,
                     locale: MessageLocale) -> String {
        let pt = locale == .ptBR
        let hidden = ["d", "due", "step", "exp", "sig"].compactMap { name in
            fields[name].map { "<input type=\"hidden\" name=\"\(name)\" value=\"\(escape($0))\">" }
        }.joined(separator: "\n")
        let range = pt ? "Escolha uma data entre \(dates.first.formatted(locale: locale)) e \(dates.last.formatted(locale: locale))."
                       : "Choose a date from \(dates.first.formatted(locale: locale)) to \(dates.last.formatted(locale: locale))."
        let alert = problem ? "<p role=\"alert\"><strong>\(pt ? "A data escolhida está fora do prazo." : "The date chosen is outside the period.")</strong> \(range)</p>" : ""
        return page(locale, title: pt ? "Prometo pagar até…" : "I promise to pay by…", body: """
            <p>\(pt ? "Dívida" : "Debt") <strong>\(escape(subject.description))</strong>, \
            \(pt ? "vencida em" : "due on") \(subject.dueDate): <strong>\(escape(subject.amount))</strong>.</p>
            \(alert)
            <form method="post" action="promise">
            \(hidden)
            <p><label for="date">\(pt ? "Data do pagamento" : "Payment date")</label>
            <input type="date" id="date" name="date" required min="\(dates.first.iso)" max="\(dates.last.iso)" \
            value="\(dates.first.iso)" aria-describedby="range"></p>
            <p id="range">\(range) \(pt ? "Até lá, não enviaremos lembretes sobre esta dívida." : "Until then, we will not send reminders about this debt.")</p>
            <p><button type="submit">\(pt ? "Confirmar promessa" : "Confirm promise")</button></p>
            </form>
            """)
    }

    static func recorded(_ date: CalendarDate, locale: MessageLocale) -> String {
        let pt = locale == .ptBR
        return page(locale, title: pt ? "Promessa registrada" : "Promise recorded", body: pt
            ? "<p>Obrigado! Registramos sua promessa de pagamento até \(date.formatted(locale: locale)). Você receberá uma confirmação.</p>"
            : "<p>Thank you! We recorded your promise to pay by \(date.formatted(locale: locale)). You will receive a confirmation.</p>")
    }

    static func alreadyUsed(locale: MessageLocale) -> String {
        let pt = locale == .ptBR
        return page(locale, title: pt ? "Link já utilizado" : "Link already used", body: pt
            ? "<p>Este link já foi usado para registrar uma promessa de pagamento. Se precisar de outra data, fale conosco.</p>"
            : "<p>This link was already used to record a payment promise. If you need another date, please contact us.</p>")
    }

    /// For a link that is altered, expired, or names a debt that is paid or changed: nothing to
    /// promise. The business's language (the customer is not known).
    static func unavailable(locale: MessageLocale) -> String {
        let pt = locale == .ptBR
        return page(locale, title: pt ? "Link indisponível" : "Link unavailable", body: pt
            ? "<p>Este link não é válido ou expirou, ou a dívida já foi paga. Se precisar de ajuda, fale conosco.</p>"
            : "<p>This link is not valid or has expired, or the debt is already paid. If you need help, please contact us.</p>")
    }

    private static func page(_ locale: MessageLocale, title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="\(locale.rawValue)">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title)</title></head>
        <body><main>
        <h1>\(title)</h1>
        \(body)
        </main></body>
        </html>

        """
    }

    /// Text safe inside HTML elements and quoted attributes.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
