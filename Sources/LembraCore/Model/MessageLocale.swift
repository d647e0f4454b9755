/// The languages Lembra writes to customers in. pt-BR first.
public enum MessageLocale: String, Sendable, CaseIterable, Codable {
    case ptBR = "pt-BR"
    case en = "en"

    /// Accepts `pt-BR`, `pt_BR`, `pt` and `en`, `en-US`...; nil for anything else.
    public init?(tag: String) {
        let t = tag.replacingOccurrences(of: "_", with: "-").lowercased()
        if t == "pt" || t.hasPrefix("pt-") { self = .ptBR }
        else if t == "en" || t.hasPrefix("en-") { self = .en }
        else { return nil }
    }
}
