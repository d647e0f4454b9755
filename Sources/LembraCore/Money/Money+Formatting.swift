extension Money {
    /// Formats for people: `R$ 1.234,56` in pt-BR, `BRL 1,234.56` in English.
    /// Hand-rolled rather than NumberFormatter so output is identical on every platform.
    public func formatted(currency: String = "BRL", locale: MessageLocale) -> String {
        // On bytes: every message formats its amounts, and grouping by Characters (counting them
        // again at each one) cost thousands of instructions per amount.
        let digits = Array(String(cents.magnitude / 100).utf8)
        let fraction = UInt8(cents.magnitude % 100)
        let (group, decimal) = locale == .ptBR ? (UInt8(ascii: "."), UInt8(ascii: ",")) : (UInt8(ascii: ","), UInt8(ascii: "."))
        var out: [UInt8] = []
        out.reserveCapacity(digits.count + digits.count / 3 + currency.utf8.count + 6)
        if cents < 0 { out.append(UInt8(ascii: "-")) }
        out += (locale == .ptBR && currency == "BRL" ? "R$" : currency).utf8
        out.append(UInt8(ascii: " "))
        for (i, digit) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(group) }
            out.append(digit)
        }
        out += [decimal, UInt8(ascii: "0") + fraction / 10, UInt8(ascii: "0") + fraction % 10]
        return String(decoding: out, as: UTF8.self)
    }
}
