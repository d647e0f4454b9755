/// One piece of a compiled template (`CompiledTemplate`).
indirect enum TemplateNode: Sendable {
    /// Text, as written.
    case text(String)
    /// `{{name}}`, `{{{name}}}`, `{{&name}}`: the same in plain text (nothing is escaped).
    case variable(TemplateName)
    /// `{{#name}}…{{/name}}`.
    case section(TemplateName, [TemplateNode])
    /// `{{^name}}…{{/name}}`.
    case inverted(TemplateName, [TemplateNode])
}
