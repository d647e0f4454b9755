import Foundation
import LembraCore

extension ConfigBuilder {
    /// `declared`: the names under `channels:`, each step's channel is checked against (at the
    /// step); `channels`: those whose settings are valid.
    func policy(_ keys: [String: YAMLCursor], window: SendingWindow, channels: [String: ChannelConfig], declared: Set<String>,
                timeZone: TimeZone) -> CollectionPolicy? {
        let segments = keys["segments"].map(segments) ?? DefaultPolicy.segments
        let written = keys["ladders"].map { ladders($0, channels: declared) }
        let defaults = defaultLadders(channels: declared)
        var byName = written ?? defaults
        var defaulted = written == nil ? Set(byName.keys) : []
        if let onPaid = keys["on_paid"] {
            byName["on_paid"] = Ladder(name: "on_paid", steps: steps(onPaid, ladder: "on_paid", channels: declared))
            defaulted.remove("on_paid")
        } else if byName["on_paid"] == nil {
            byName["on_paid"] = defaults["on_paid"]
            defaulted.insert("on_paid")
        }
        // Written steps were checked where they stand; the defaults' channels are checked here,
        // at `channels:`, naming the steps (they are written nowhere in the file).
        if let channelsKey = keys["channels"] {
            let missing = defaulted.sorted().flatMap { byName[$0]?.steps ?? [] }.filter { !declared.contains($0.channel) }
            for channel in Set(missing.map(\.channel)).sorted() {
                let ids = missing.filter { $0.channel == channel }.map(\.id)
                channelsKey.fail("no channel '\(channel)', which the built-in default steps \(ids.joined(separator: ", ")) send on: "
                                 + "name your e-mail channel '\(channel)', or write ladders: and on_paid: of your own (see lembra.example.yaml)")
            }
        }
        for s in segments where byName[s.name] == nil {
            (keys["segments"] ?? root).warn("segment '\(s.name)' has no ladder under ladders:, so it receives no reminders")
        }
        return CollectionPolicy(segments: segments, ladders: byName.filter { $0.key != "upcoming" && $0.key != "on_paid" },
                                upcoming: byName["upcoming"] ?? Ladder(name: "upcoming", steps: []),
                                onPaid: byName["on_paid"] ?? Ladder(name: "on_paid", steps: []),
                                window: window, limits: keys["limits"].map(limits) ?? ContactLimits(),
                                handoffChannels: Set(channels.compactMap { name, c in
                                    if case .webhook(let w) = c, w.handoff { return name } else { return nil }
                                }), shortMessageChannels: Set(channels.compactMap { name, c in c.isEmail ? nil : name }),
                                timeZone: timeZone)
    }

    /// The built-in ladders for a config whose `channels:` names `channels` (see `DefaultPolicy`).
    func defaultLadders(channels: Set<String>) -> [String: Ladder] {
        Dictionary(uniqueKeysWithValues: DefaultPolicy.ladders(channels: channels).map { name, steps in
            (name, Ladder(name: name, steps: steps.map {
                LadderStep(id: name == "on_paid" ? "on_paid.\($0.template)" : LadderStep.defaultID(ladder: name, at: $0.at),
                           at: $0.at, channel: $0.channel, template: $0.template, repeatEvery: $0.repeatEvery)
            }))
        })
    }

    func limits(_ c: YAMLCursor) -> ContactLimits {
        var l = ContactLimits()
        for (key, v) in c.mapping(allowed: ["min_gap", "per_customer_per_week"]) ?? [] {
            if key == "min_gap" { l.minGap = v.nonNegativeDuration(atMost: ConfigLimits.minGap) ?? l.minGap }
            else { l.perCustomerPerWeek = v.int(in: 0...100) ?? l.perCustomerPerWeek }
        }
        return l
    }

    func segments(_ c: YAMLCursor) -> [SegmentRule] {
        let items = c.list() ?? []
        var rules: [SegmentRule] = []
        for (i, item) in items.enumerated() {
            guard let m = item.mapping(allowed: ["name", "any", "all"]) else { continue }
            let v = Dictionary(m.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
            guard let name = v["name"]?.string() else { item.fail("name: required"); continue }
            if rules.contains(where: { $0.name == name }) { v["name"]?.fail("segment '\(name)' is defined twice") }
            let rule = SegmentRule(name: name, any: v["any"].map(conditions) ?? [], all: v["all"].map(conditions) ?? [])
            if i == items.count - 1 && !(rule.any.isEmpty && rule.all.isEmpty) {
                item.fail("the last segment must have no conditions, so that every customer lands in one")
            }
            rules.append(rule)
        }
        if items.isEmpty { c.fail("at least one segment is needed") }
        return rules
    }

    func conditions(_ c: YAMLCursor) -> [SegmentCondition] {
        (c.list() ?? []).compactMap { item in
            guard let text = item.string() else { return nil }
            switch SegmentCondition.parse(text) {
            case .success(let condition): return condition
            case .failure(let e): item.fail(e.message); return nil
            }
        }
    }

    func ladders(_ c: YAMLCursor, channels: Set<String>) -> [String: Ladder] {
        var result: [String: Ladder] = [:]
        for (name, list) in c.mapping() ?? [] { result[name] = Ladder(name: name, steps: steps(list, ladder: name, channels: channels)) }
        return result
    }

    /// The steps of one ladder; a step naming a channel not in `channels` is reported at its `channel:`.
    func steps(_ c: YAMLCursor, ladder: String, channels: Set<String>) -> [LadderStep] {
        var steps: [LadderStep] = []
        for item in c.list() ?? [] {
            guard let m = item.mapping(allowed: ["id", "at", "channel", "template", "repeat", "max_repeats"]) else { continue }
            let v = Dictionary(m.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
            if ladder != "on_paid" && v["at"] == nil { item.fail("at: required, e.g. 1d or -3d") }
            let at = ladder == "on_paid" ? 0 : v["at"].flatMap(dayOffset)
            guard let channel = v["channel"]?.string() else { item.fail("channel: required"); continue }
            if !channels.contains(channel) {
                v["channel"]?.fail("unknown channel '\(channel)'; channels: defines \(channels.isEmpty ? "none" : channels.sorted().joined(separator: ", "))")
            }
            guard let template = v["template"]?.string() else { item.fail("template: required"); continue }
            guard let at else { continue }
            let id = v["id"]?.string() ?? (ladder == "on_paid" ? "on_paid.\(template)" : LadderStep.defaultID(ladder: ladder, at: at))
            if steps.contains(where: { $0.id == id }) { item.fail("step id '\(id)' repeats in this ladder; give one an id:") }
            let every = v["repeat"].flatMap(dayOffset)
            if let every, every <= 0 { v["repeat"]?.fail("must be a positive number of days") }
            if ladder == "upcoming" && at > 0 {
                v["at"]?.fail("upcoming steps come before the due date or on it: use 0d (the due date) or a negative day like -3d")
            }
            if ladder != "upcoming" && ladder != "on_paid" && at < 0 {
                v["at"]?.fail("segment ladders start on the due date (0d) or after it (1d is the first day overdue); put earlier steps under upcoming:")
            }
            steps.append(LadderStep(id: id, at: at, channel: channel, template: template, repeatEvery: every,
                                    maxRepeats: v["max_repeats"]?.int(in: 0...100) ?? 5))
        }
        return steps
    }

    /// Whole days, written `3d` or `-3d`, at most `ConfigLimits.ladderDays` either way.
    func dayOffset(_ c: YAMLCursor) -> Int? {
        guard let s = c.string() else { return nil }
        guard s.hasSuffix("d"), let n = Int(s.dropLast()) else { c.fail("expected whole days like 1d or -3d, got '\(s)'"); return nil }
        guard (-ConfigLimits.ladderDays...ConfigLimits.ladderDays).contains(n) else {
            c.fail("expected at most \(ConfigLimits.ladderDays)d (ten years) either way, got '\(s)'"); return nil
        }
        return n
    }
}
