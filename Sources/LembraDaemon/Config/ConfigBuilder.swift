import Foundation
import LembraCore
import Yams

/// Turns the YAML tree into a `LembraConfig`, reporting problems to the cursor's sink.
/// Returns nil when a required part is missing; partial results keep later checks going.
struct ConfigBuilder {
    let root: YAMLCursor
    let base: URL
    let file: String

    func build() -> LembraConfig? {
        guard let top = root.mapping(allowed: ConfigLoader.topKeys) else { return nil }
        let keys = Dictionary(top.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        let tz = keys["timezone"].flatMap(timeZone) ?? TimeZone(identifier: "America/Sao_Paulo")!
        let locale = keys["locale"].flatMap(locale) ?? .ptBR
        let business = keys["business"].flatMap(self.business)
        if keys["business"] == nil { root.fail("business: required (name, document, address): every message must name the supplier, CDC art. 42-A") }
        let channels = keys["channels"].flatMap(self.channels) ?? [:]
        if keys["channels"] == nil { root.fail("channels: required; define at least one channel") }
        // Names under channels:, including any whose settings have a problem (already reported),
        // so a step using one isn't also reported as naming an unknown channel.
        let declared = Set(keys["channels"]?.node.mapping?.compactMap { $0.key.string } ?? [])
        let allowWide = keys["allow_outside_legal_window"]?.bool() ?? false
        let window = keys["window"].map { self.window($0, allowWide: allowWide) } ?? .legalDefault
        let policy = self.policy(keys, window: window, channels: channels, declared: declared, timeZone: tz)
        let templates = keys["templates"]?.path(relativeTo: base) ?? base.appendingPathComponent("templates").path
        let (database, postgres, stateDirectory) = self.database(keys)
        let tick = keys["tick"].flatMap(tick) ?? 300
        let shutdownTimeout = keys["shutdown_timeout"]?.positiveDuration(atMost: ConfigLimits.shutdownTimeout) ?? 30
        let lateFees = keys["late_fees"].flatMap(self.lateFees)
        guard let business, let policy else { return nil }
        let promise = keys["ingress"]?.node["promise"]
        var checks = templateChecks(policy, channels: channels, directory: templates, locale: locale, cursor: keys["templates"] ?? root,
                                    promise: promise != nil)
        checks.references = templateReferences(keys)
        if let promise {
            for name in ConfigBuilder.promiseTemplates.email + ConfigBuilder.promiseTemplates.short {
                checks.references[name, default: []].append(YAMLCursor(node: promise, path: "ingress.promise", sink: root.sink))
            }
        }
        let templateSet = checks.load()
        var config = LembraConfig(
            file: file, database: database, inbox: keys["inbox"]?.path(relativeTo: base), tick: tick, timeZone: tz,
            locale: locale, currency: keys["currency"].flatMap(currency) ?? "BRL", business: business, policy: policy,
            templatesDirectory: templates, templates: templateSet, channels: channels, paymentLink: keys["payment_link"].flatMap(paymentLink),
            unsubscribeURL: keys["unsubscribe_url"].flatMap(unsubscribeURL),
            inDoubt: keys["in_doubt"].flatMap(inDoubt) ?? .skip, retry: keys["retry"].map(retry) ?? RetryPolicy(),
            metricsFile: keys["metrics_file"]?.path(relativeTo: base), shutdownTimeout: shutdownTimeout, lateFees: lateFees)
        if lateFees != nil { warnUnlessLinkCarriesAmount(config.paymentLink, cursor: keys["payment_link"]) }
        config.ingress = keys["ingress"].flatMap { ingress($0, timeZone: tz, locale: locale) }
        config.postgres = postgres
        config.stateDirectory = stateDirectory
        return config
    }

    /// The templates the planner puts on a step when the promise page is on (the confirmation and
    /// the broken-promise reminder), for e-mail channels and for the others (short texts).
    static let promiseTemplates = (email: [Planner.brokenPromiseTemplate, Planner.promiseConfirmedTemplate],
                                   short: [Planner.brokenPromiseShortTemplate, Planner.promiseConfirmedShortTemplate])

    /// With `promise` (the promise page is on), the templates the planner may put on a step too:
    /// the e-mail ones if a step is on an e-mail channel, the short ones if one is on another.
    func templateChecks(_ p: CollectionPolicy, channels: [String: ChannelConfig], directory: String, locale: MessageLocale, cursor: YAMLCursor,
                        promise: Bool = false) -> TemplateChecks {
        let steps = p.ladders.values.flatMap(\.steps) + p.upcoming.steps + p.onPaid.steps
        let onEmail = steps.filter { channels[$0.channel]?.isEmail == true }
        let email = promise && !onEmail.isEmpty ? Self.promiseTemplates.email : []
        let short = promise && steps.contains { channels[$0.channel]?.isEmail == false } ? Self.promiseTemplates.short : []
        return TemplateChecks(directory: directory, names: Set(steps.map(\.template) + email + short), locale: locale,
                              emailTemplates: Set(onEmail.map(\.template) + email), sink: root.sink, cursor: cursor)
    }

    /// The `template:` value of every step written under `ladders:` and `on_paid:`, by template
    /// name, each with its key path (`ladders.chronic[2].template`): a missing file is reported
    /// at the step that names it. Read from the tree as it is (problems were reported already).
    func templateReferences(_ keys: [String: YAMLCursor]) -> [String: [YAMLCursor]] {
        var lists: [(path: String, node: Node)] = keys["on_paid"].map { [("on_paid", $0.node)] } ?? []
        for (name, list) in keys["ladders"]?.node.mapping ?? [:] { if let name = name.string { lists.append(("ladders.\(name)", list)) } }
        var references: [String: [YAMLCursor]] = [:]
        for (path, list) in lists {
            for (i, step) in (list.sequence ?? []).enumerated() {
                guard let template = step["template"], let name = template.string else { continue }
                references[name, default: []].append(YAMLCursor(node: template, path: "\(path)[\(i)].template", sink: root.sink))
            }
        }
        return references
    }

    /// `tick:` from 1s to `ConfigLimits.tick`.
    func tick(_ c: YAMLCursor) -> Double? {
        guard let v = c.positiveDuration(atMost: ConfigLimits.tick) else { return nil }
        guard v >= 1 else { c.fail("must be at least 1s"); return nil }
        return v
    }

    func timeZone(_ c: YAMLCursor) -> TimeZone? {
        guard let s = c.string() else { return nil }
        guard let tz = TimeZone(identifier: s) else { c.fail("unknown time zone '\(s)'; use an IANA name like America/Sao_Paulo"); return nil }
        return tz
    }

    /// `currency:` an ISO 4217 code: three capital letters, like BRL (the rule a debt's CSV
    /// `currency` column follows too).
    func currency(_ c: YAMLCursor) -> String? {
        guard let s = c.string() else { return nil }
        guard s.count == 3, s.allSatisfy({ ("A"..."Z").contains($0) }) else {
            c.fail("expected an ISO 4217 currency code of three capital letters, like BRL, got '\(s)'"); return nil
        }
        return s
    }

    func locale(_ c: YAMLCursor) -> MessageLocale? {
        guard let s = c.string() else { return nil }
        guard let l = MessageLocale(tag: s) else { c.fail("unknown locale '\(s)'; use pt-BR or en"); return nil }
        return l
    }

    func business(_ c: YAMLCursor) -> BusinessIdentity? {
        guard let m = c.mapping(allowed: ["name", "document", "address", "reply_to"]) else { return nil }
        let v = Dictionary(m.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        func required(_ key: String) -> String? {
            guard let s = v[key]?.string(), !s.trimmingCharacters(in: .whitespaces).isEmpty else {
                (v[key] ?? c).fail("\(v[key] == nil ? "\(key): " : "")required: every collection message names the supplier (CDC art. 42-A)")
                return nil
            }
            return s
        }
        let name = required("name"), document = required("document"), address = required("address")
        if let document, let problem = Document.validate(document) { v["document"]?.fail(problem) }
        let replyTo = v["reply_to"]?.string()
        if let replyTo, let problem = EmailCheck.address(replyTo) { v["reply_to"]?.fail(problem) }
        guard let name, let document, let address else { return nil }
        return BusinessIdentity(name: name, document: document, address: address, replyTo: replyTo)
    }

    /// RFC 8058 requires HTTPS for one-click unsubscribe.
    func unsubscribeURL(_ c: YAMLCursor) -> String? {
        guard let s = c.string() else { return nil }
        guard s.hasPrefix("https://"), URL(string: s.replacingOccurrences(of: "{{customer.id}}", with: "x")) != nil else {
            c.fail("expected an https:// URL, e.g. https://empresa.com.br/sair/{{customer.id}}"); return nil
        }
        return s
    }

    func inDoubt(_ c: YAMLCursor) -> InDoubtPolicy? {
        guard let s = c.string() else { return nil }
        guard let p = InDoubtPolicy(rawValue: s) else { c.fail("expected skip or resend"); return nil }
        return p
    }

    func retry(_ c: YAMLCursor) -> RetryPolicy {
        var r = RetryPolicy()
        for (key, v) in c.mapping(allowed: ["max_tries", "base_delay", "max_delay"]) ?? [] {
            switch key {
            case "max_tries": r.maxTries = v.int(in: 1...100) ?? r.maxTries
            case "base_delay": r.baseDelay = v.positiveDuration(atMost: ConfigLimits.retryBaseDelay) ?? r.baseDelay
            default: r.maxDelay = v.positiveDuration(atMost: ConfigLimits.retryMaxDelay) ?? r.maxDelay
            }
        }
        return r
    }
}
