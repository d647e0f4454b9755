import Foundation
import LembraCore
import Mustache

/// The parsed message templates, `<dir>/<locale>/<name>.mustache`, loaded and checked with the
/// config so a reload with a broken template is refused as a whole.
public struct TemplateSet: Sendable {
    /// Keyed by `locale/name`.
    private(set) var templates: [String: MustacheTemplate] = [:]
    /// The same templates compiled (`CompiledTemplate`), those the compiler takes; the others
    /// render through Mustache.
    private(set) var compiled: [String: CompiledTemplate] = [:]
    /// The locale used when a customer's own has no template.
    var fallback: MessageLocale

    /// Renders `name` for `locale` (falling back to the business locale); nil if neither exists.
    /// The context is the message's facts (see `MessageContext` for the names a template sees).
    func render(_ name: String, locale: MessageLocale, context: MessageFacts) -> String? {
        let key = templates["\(locale.rawValue)/\(name)"] == nil ? "\(fallback.rawValue)/\(name)" : "\(locale.rawValue)/\(name)"
        if let template = compiled[key] { return template.render(context) }
        return templates[key]?.render(MessageContext.Scope(.root(context)))
    }

    /// Adds `template`, parsed from `text`, as `key` (`locale/name`).
    mutating func add(_ template: MustacheTemplate, text: String, as key: String) {
        templates[key] = template
        compiled[key] = TemplateCompiler.compile(text)
    }

    /// Parses a template as plain text (Mustache escapes HTML by default, which would turn
    /// "Silva & Filhos" into "Silva &amp; Filhos" in an e-mail).
    static func parse(_ text: String) throws -> MustacheTemplate {
        try MustacheTemplate(string: header + text)
    }

    /// What `parse` puts before the text: plain text, no HTML escaping.
    static let header = "{{% CONTENT_TYPE: TEXT}}"
}
