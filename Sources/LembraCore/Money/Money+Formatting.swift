extension Money {
    /// Formats for people: `R$ 1.234,56` in pt-BR, `BRL 1,234.56` in English.
    /// Hand-rolled rather than NumberFormatter so output is identical on every platform.
    public func formatted(currency: String = "BRL", locale: MessageLocale) -> String {
        let a = cents.magnitude
        let whole = String(a / 100)
        let f = a % 100
        let (group, decimal) = locale == .ptBR ? (".", ",") : (",", ".")
        var grouped = ""
        for (i, ch) in whole.enumerated() {
            if i > 0 && (whole.count - i) % 3 == 0 { grouped += group }
            grouped.append(ch)
        }
        let symbol = (locale == .ptBR && currency == "BRL") ? "R$" : currency
        let sign = cents < 0 ? "-" : ""
        return "\(sign)\(symbol) \(grouped)\(decimal)\(f < 10 ? "0" : "")\(f)"
    }
}
