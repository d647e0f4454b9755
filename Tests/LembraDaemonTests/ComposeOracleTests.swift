import Foundation
import LembraCore
@testable import LembraDaemon
import Mustache
import Testing
import TestSupport

/// `MessageComposer` against the composition as it was first written (kept below, in this file
/// only, as the oracle): a `[String: Any]` Mustache context, Foundation's `JSONEncoder` for the
/// webhook body (`.sortedKeys`, `.withoutEscapingSlashes`) and for the stored e-mail. Every
/// shipped template, both locales, every payment-link kind, and hostile text (accents, emoji,
/// quotes, backslashes, control characters, U+2028) must give the same webhook bytes and the
/// same e-mail fields.
@Suite struct ComposeOracleTests {
    static let now = Timestamp.parse("2026-11-18T10:00:00-03:00", timeZone: TimeZone(identifier: "UTC")!)!

    /// `bench/compose.yaml`, the config the compose benchmark measures: the shipped templates with
    /// three channels (e-mail, an SMS webhook that needs a phone, a CRM handoff) and a Pix link.
    static func config(in dir: TemporaryDirectory) throws -> LembraConfig {
        let secret = try dir.write("secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secret.path)
        let templates = RepositoryPaths.root.appendingPathComponent("config/templates").path
        let yaml = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("bench/compose.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "${templates}", with: templates)
        var warnings: [ConfigProblem] = []
        return try ConfigLoader.load(dir.write("lembra.yaml", yaml).path, warnings: &warnings)
    }

    static let templates = ["friendly", "second-notice", "offer", "firm", "upcoming", "thanks", "friendly-sms", "call-task"]

    /// Text that has broken JSON and template code before.
    static let hostile = [
        "Ana Souza", "José da Silva & Filhos", "Zoë \"Z\" O'Brien", "back\\slash\\", "tab\there", "line\nbreak", "cr\r\nlf\r",
        "\u{0}nul\u{1}\u{8}\u{b}\u{c}\u{e}\u{1f}\u{7f}", "sep\u{2028}par\u{2029}", "emoji 😀 👩‍👩‍👧 🇧🇷", "slash/es </script>",
        "{{customer.name}}", "e\u{301} NFD, é NFC", "<b>html</b> &amp;", "", " spaced\t", "nbsp\u{a0}", "ideo\u{3000}",
        "\u{feff}bom", "\u{10ffff}\u{fffd}", "a\"\\/\u{8}\u{c}\n\r\t", String(repeating: "longo ", count: 60),
    ]

    static func pick<T>(_ xs: [T], _ rng: inout SeededGenerator) -> T { xs[Int(rng.next() % UInt64(xs.count))] }

    static func randomDebt(_ i: Int, customer: String, _ rng: inout SeededGenerator) -> Debt {
        let ids = ["d\(i)", "DEB-2026-\(i)", "a/b?c#d&e f\(i)", "ünï-\(i)", "x\(i)" + String(repeating: "9", count: 40), "\(i)\"\\"]
        let cents: [Int64] = [1, 99, 18_990, 123_456_789, 0, -500, 999_999_999_999, 1_000_000_000_000, Int64(rng.next() % 10_000_000)]
        return Debt(id: pick(ids, &rng), customerID: customer, amount: Money(cents: pick(cents, &rng)),
                    dueDate: CalendarDate(year: 2026, month: 11, day: 17)!.adding(days: Int(rng.next() % 60) - 30),
                    description: rng.next() % 3 == 0 ? "" : pick(hostile, &rng), currency: rng.next() % 5 == 0 ? "USD" : "BRL",
                    paymentURL: rng.next() % 6 == 0 ? "https://own.example/pay?d=\(i)&x=\"q\"" : nil)
    }

    static func randomCase(_ i: Int, _ rng: inout SeededGenerator) -> (PlannedMessage, Customer) {
        let customer = Customer(
            id: rng.next() % 4 == 0 ? "c/\(i)?&\"" : "c\(i)", name: pick(hostile, &rng),
            email: rng.next() % 5 == 0 ? nil : "c\(i)@cliente.example", phone: rng.next() % 4 == 0 ? nil : "+55 11 91234-\(i)",
            timezone: pick([nil, "Asia/Tokyo", "America/Noronha"], &rng), locale: pick([nil, .en, .ptBR], &rng))
        let items = (0...Int(rng.next() % 3)).map { k in
            PlannedMessage.Item(debt: randomDebt(i * 10 + k, customer: customer.id, &rng), stepID: pick(["forgetful.1d", "chronic.10d", "upcoming.-3d"], &rng),
                                day: pick([-3, 0, 1, 40], &rng))
        }
        let message = PlannedMessage(kind: rng.next() % 4 == 0 ? .thanks : .reminder, customerID: customer.id,
                                     segment: pick(["forgetful", "chronic", "seg \"x\""], &rng), channel: pick(["email", "sms", "crm", "nope"], &rng),
                                     template: pick(templates + ["missing"], &rng), handoff: rng.next() % 3 == 0, items: items, superseded: [])
        return (message, customer)
    }

    /// The config with a payment link, unsubscribe URL, business and locale drawn from `rng`.
    static func variant(_ base: LembraConfig, _ rng: inout SeededGenerator) throws -> LembraConfig {
        var c = base
        c.paymentLink = pick([
            base.paymentLink, nil,
            .url(template: try SignedLink.Template("https://pay.example/d/{{debt.id}}?v={{debt.amount_cents}}"), secret: nil, expiresIn: 86_400),
            .url(template: try SignedLink.Template("https://pay.example/d/{{debt.id}}/{{debt.due_date}}#frag"), secret: Data("s3cret".utf8),
                 expiresIn: 7 * 86_400),
        ], &rng)
        c.unsubscribeURL = pick([nil, "https://x.example/sair/{{customer.id}}?a={{customer.id}}", "https://x.example/{{customer.id}}{{customer.id}}",
                                 "https://x.example/sair", "https://x.example/{{customer.id}}\u{301}/é{{customer.id}}", "https://x.example/{{customer.id"], &rng)
        if rng.next() % 3 == 0 {
            c.business = BusinessIdentity(name: pick(hostile, &rng), document: "123.456.789-09 \"/\\", address: pick(hostile, &rng),
                                          replyTo: rng.next() % 2 == 0 ? nil : "a\"b@c.example")
        }
        c.locale = rng.next() % 2 == 0 ? .ptBR : .en
        c.currency = rng.next() % 4 == 0 ? "EUR" : "BRL"
        return c
    }

    /// A webhook body is compared byte for byte (it is signed and documented). The stored e-mail is
    /// compared as decoded: JSONEncoder without `.sortedKeys` writes its keys in no fixed order,
    /// so only its fields were ever stable, and only `RenderedEmail.decode` reads it.
    static func expectSame(_ got: Data, _ expected: Data, email: Bool, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        if email && !expected.isEmpty {
            let decoded = try? JSONDecoder().decode(LegacyComposer.Email.self, from: got)
            #expect(decoded == (try? JSONDecoder().decode(LegacyComposer.Email.self, from: expected)), "\(label)", sourceLocation: sourceLocation)
            #expect(decoded != nil && RenderedEmail.decode(got) != nil, "\(label)", sourceLocation: sourceLocation)
        } else {
            #expect(got == expected, """
                \(label)
                got:      \(String(decoding: got, as: UTF8.self))
                expected: \(String(decoding: expected, as: UTF8.self))
                """, sourceLocation: sourceLocation)
        }
    }

    @Test func composerMatchesTheOriginalComposition() throws {
        let dir = try TemporaryDirectory("lembra-compose")
        let base = try Self.config(in: dir)
        var rng = SeededGenerator(seed: 0xC0FFEE)
        var composed = 0, skipped = 0, seen: [String: Int] = [:]
        for round in 0..<60 {
            let config = try Self.variant(base, &rng)
            let composer = MessageComposer(config: config)
            for i in 0..<40 {
                let (message, customer) = Self.randomCase(round * 100 + i, &rng)
                let now = i % 2 == 0 ? Self.now : Self.now.addingTimeInterval(12 * 3600 + 0.75)
                let request = composer.compose(message, customer: customer, now: now)
                let oracle = LegacyComposer(config: config).compose(message, customer: customer, now: now, attemptID: request.attemptID)
                #expect(request.skipReason == oracle.skipReason, "case \(round)/\(i)")
                Self.expectSame(request.payload, oracle.payload, email: config.channels[message.channel]?.isEmail == true,
                                "case \(round)/\(i) \(message.channel) \(message.template)")
                if request.skipReason == nil { composed += 1 } else { skipped += 1 }
                let body = String(decoding: request.payload, as: UTF8.self)
                for mark in ["\"pix_code\"", "\"payment_link\"", "\"email\"", "\\u0000", "\u{2028}", "\\\"", "unsubscribeURL", "payment.thanks"]
                where body.contains(mark) { seen[mark, default: 0] += 1 }
            }
        }
        // Both paths exercised in earnest.
        #expect(composed > 1000 && skipped > 200, "composed \(composed), skipped \(skipped)")
        #expect(seen.count == 8 && seen.values.allSatisfy { $0 >= 10 }, "\(seen)")
    }

    /// Every file under config/templates, rendered from the dictionary tree and from `MessageContext`.
    @Test func everyShippedTemplateRendersTheSame() throws {
        let dir = try TemporaryDirectory("lembra-compose")
        let base = try Self.config(in: dir)
        let root = RepositoryPaths.root.appendingPathComponent("config/templates")
        var files: [URL] = []
        for locale in try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() {
            let folder = root.appendingPathComponent(locale)
            files += try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".mustache") }.sorted()
                .map { folder.appendingPathComponent($0) }
        }
        #expect(files.count >= 16)
        let templates = try files.map { try TemplateSet.parse(String(contentsOf: $0, encoding: .utf8)) }
        var rng = SeededGenerator(seed: 0x7E3B)
        for i in 0..<300 {
            let config = try Self.variant(base, &rng)
            let (message, customer) = Self.randomCase(i, &rng)
            let locale = customer.locale ?? config.locale
            let today = CalendarDate(Self.now, in: config.policy.timeZone(for: customer))
            let legacy = LegacyComposer.context(message, customer: customer, config: config, locale: locale, today: today, now: Self.now)
            let facts = try MessageFacts(message, customer: customer, config: config, locale: locale, today: today, now: Self.now)
            for (file, template) in zip(files, templates) {
                #expect(template.render(MessageContext.Scope(.root(facts))) == template.render(legacy), "case \(i) \(file.path)")
            }
        }
    }

    /// The body alone, with hostile rendered text and attempt ids, and debts with and without links.
    @Test func webhookBodyMatchesJSONEncoder() throws {
        let dir = try TemporaryDirectory("lembra-compose")
        let base = try Self.config(in: dir)
        var rng = SeededGenerator(seed: 0xB0D1)
        let texts = Self.hostile + [(0..<128).map { String(UnicodeScalar(UInt8($0))) }.joined()]
        for i in 0..<400 {
            let config = try Self.variant(base, &rng)
            let (message, customer) = Self.randomCase(i, &rng)
            let locale = customer.locale ?? config.locale
            let today = CalendarDate(Self.now, in: config.policy.timeZone(for: customer))
            let facts = try MessageFacts(message, customer: customer, config: config, locale: locale, today: today, now: Self.now)
            let text = Self.pick(texts, &rng), id = Self.pick(["att_1", "att_\"q\"/\\\u{1}"], &rng)
            let expected = LegacyComposer.webhook(message, attemptID: id, customer: customer, config: config, locale: locale, text: text, now: Self.now)
            Self.expectSame(WebhookPayload.make(facts, attemptID: id, text: text), expected, email: false, "case \(i)")
        }
    }

    /// The benchmark's config and message shape: Pix, one debt, every channel.
    @Test func benchmarkShapedMessagesMatch() throws {
        let dir = try TemporaryDirectory("lembra-compose")
        let config = try Self.config(in: dir)
        let composer = MessageComposer(config: config)
        for template in Self.templates {
            for channel in ["email", "sms", "crm"] {
                for locale in [MessageLocale.ptBR, .en, nil] {
                    let customer = Customer(id: "c1", name: "Cliente 1", email: "c1@cliente.example", phone: "+55 11 90001-0001", locale: locale)
                    let debt = Debt(id: "d1", customerID: "c1", amount: Money(cents: 18_990), dueDate: CalendarDate(year: 2026, month: 11, day: 17)!,
                                    description: "Revisão de freios")
                    let message = PlannedMessage(kind: .reminder, customerID: "c1", segment: "forgetful", channel: channel, template: template,
                                                 handoff: false, items: [.init(debt: debt, stepID: "forgetful.1d", day: 1)], superseded: [])
                    let request = composer.compose(message, customer: customer, now: Self.now)
                    let oracle = LegacyComposer(config: config).compose(message, customer: customer, now: Self.now, attemptID: request.attemptID)
                    #expect(request.skipReason == oracle.skipReason)
                    Self.expectSame(request.payload, oracle.payload, email: channel == "email", "\(template) \(channel) \(String(describing: locale))")
                }
            }
        }
    }
}

/// The composition as first written, kept here as the reference: do not "fix" or speed it up.
struct LegacyComposer {
    let config: LembraConfig

    func compose(_ message: PlannedMessage, customer: Customer, now: Date, attemptID id: String) -> (payload: Data, skipReason: String?) {
        guard let channel = config.channels[message.channel] else { return (Data(), "unknown_channel") }
        guard MessageComposer.reaches(channel, customer) else { return (Data(), SkipReason.noAddress.rawValue) }
        let locale = customer.locale ?? config.locale
        let tz = config.policy.timeZone(for: customer)
        let context = Self.context(message, customer: customer, config: config, locale: locale, today: CalendarDate(now, in: tz), now: now)
        let template = config.templates.templates["\(locale.rawValue)/\(message.template)"]
            ?? config.templates.templates["\(config.templates.fallback.rawValue)/\(message.template)"]
        guard let text = template?.render(context) else { return (Data(), "template_error") }
        guard channel.isEmail else {
            return (Self.webhook(message, attemptID: id, customer: customer, config: config, locale: locale, text: text, now: now), nil)
        }
        let unsubscribe = config.unsubscribeURL.map { $0.replacingOccurrences(of: "{{customer.id}}", with: SignedLink.percentEncoded(customer.id)) }
        guard let email = customer.email, let rendered = Email(rendered: text, to: email, toName: customer.name, unsubscribeURL: unsubscribe) else {
            return (Data(), "template_error")
        }
        return ((try? JSONEncoder().encode(rendered)) ?? Data(), nil)
    }

    static func context(_ m: PlannedMessage, customer: Customer, config: LembraConfig, locale: MessageLocale, today: CalendarDate, now: Date) -> [String: Any] {
        let links = PaymentLinks(config: config.paymentLink, now: now)
        let debts: [[String: Any]] = m.items.map { item in
            let d = item.debt
            var fields: [String: Any] = [
                "id": d.id,
                "amount": d.amount.formatted(currency: d.currency, locale: locale), "amount_cents": String(d.amount.cents),
                "due_date": d.dueDate.formatted(locale: locale), "days_overdue": max(0, item.day),
            ]
            fields["description"] = d.description.isEmpty ? nil : d.description
            fields["payment_link"] = links.url(for: d)
            fields["pix_code"] = links.pixCode(for: d)
            return fields
        }
        let total = Money(cents: m.items.reduce(0) { $0 + $1.debt.amount.cents })
        let b = config.business
        var business: [String: Any] = ["name": b.name, "document": b.document, "address": b.address]
        if let replyTo = b.replyTo { business["reply_to"] = replyTo }
        return [
            "customer": ["id": customer.id, "name": customer.name],
            "debts": debts, "count": debts.count,
            "total": total.formatted(currency: m.items.first?.debt.currency ?? config.currency, locale: locale),
            "business": business,
            "segment": m.segment, "step": m.stepID, "today": today.formatted(locale: locale),
        ]
    }

    struct Payload: Encodable {
        struct Customer: Encodable { var id: String, name: String, email: String?, phone: String?, phone_e164: String?, locale: String }
        struct Debt: Encodable {
            var id: String, description: String, amount_cents: String, amount: String, due_date: String
            var days_overdue: Int, payment_link: String?, pix_code: String?
        }
        struct Business: Encodable { var name: String, document: String, address: String }

        var type: String
        var attempt_id: String
        var channel: String
        var handoff: Bool
        var segment: String
        var step: String
        var customer: Customer
        var debts: [Debt]
        var total_cents: String
        var total: String
        var business: Business
        var text: String
    }

    static func webhook(_ m: PlannedMessage, attemptID: String, customer c: LembraCore.Customer, config: LembraConfig,
                        locale: MessageLocale, text: String, now: Date) -> Data {
        let links = PaymentLinks(config: config.paymentLink, now: now)
        let total = Money(cents: m.items.reduce(0) { $0 + $1.debt.amount.cents })
        let currency = m.items.first?.debt.currency ?? config.currency
        let payload = Payload(
            type: m.kind == .thanks ? "payment.thanks" : "reminder.due", attempt_id: attemptID, channel: m.channel,
            handoff: m.handoff, segment: m.segment, step: m.stepID,
            customer: .init(id: c.id, name: c.name, email: c.email, phone: c.phone, phone_e164: c.phone.flatMap(PhoneNumber.e164),
                           locale: locale.rawValue),
            debts: m.items.map { item in
                let d = item.debt
                return .init(id: d.id, description: d.description, amount_cents: String(d.amount.cents),
                             amount: d.amount.formatted(currency: d.currency, locale: locale), due_date: d.dueDate.iso,
                             days_overdue: max(0, item.day), payment_link: links.url(for: d), pix_code: links.pixCode(for: d))
            },
            total_cents: String(total.cents), total: total.formatted(currency: currency, locale: locale),
            business: .init(name: config.business.name, document: config.business.document, address: config.business.address),
            text: text)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(payload)) ?? Data()
    }

    /// The stored e-mail as first written (same fields and order as `RenderedEmail`).
    struct Email: Codable, Equatable {
        var to: String
        var toName: String
        var subject: String
        var body: String
        var unsubscribeURL: String?

        init?(rendered: String, to: String, toName: String, unsubscribeURL: String?) {
            let text = rendered.utf8.contains(UInt8(ascii: "\r")) ? rendered.replacing("\r\n", with: "\n") : rendered
            guard text.hasPrefix("Subject: "), let blank = text.firstRange(of: "\n\n") else { return nil }
            subject = String(text[text.index(text.startIndex, offsetBy: 9)..<blank.lowerBound]).trimmingCharacters(in: .whitespaces)
            body = String(text[blank.upperBound...])
            self.to = to
            self.toName = toName
            self.unsubscribeURL = unsubscribeURL
        }
    }
}
