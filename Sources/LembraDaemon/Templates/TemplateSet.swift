import Foundation
import LembraCore
import Mustache

/// The parsed message templates, `<dir>/<locale>/<name>.mustache`, loaded and checked with the
/// config so a reload with a broken template is refused as a whole.
public struct TemplateSet: Sendable {
    /// Keyed by `locale/name`.
    var templates: [String: MustacheTemplate] = [:]
    /// The locale used when a customer's own has no template.
    var fallback: MessageLocale

    /// Renders `name` for `locale` (falling back to the business locale); nil if neither exists.
    /// The context is the message's facts (see `MessageContext` for the names a template sees).
    func render(_ name: String, locale: MessageLocale, context: MessageFacts) -> String? {
        let template = templates["\(locale.rawValue)/\(name)"] ?? templates["\(fallback.rawValue)/\(name)"]
        return template?.render(MessageContext.Root(facts: context))
    }

    /// Parses a template as plain text (Mustache escapes HTML by default, which would turn
    /// "Silva & Filhos" into "Silva &amp; Filhos" in an e-mail).
    static func parse(_ text: String) throws -> MustacheTemplate {
        try MustacheTemplate(string: header + text)
    }

    /// What `parse` puts before the text: plain text, no HTML escaping.
    static let header = "{{% CONTENT_TYPE: TEXT}}"
}
