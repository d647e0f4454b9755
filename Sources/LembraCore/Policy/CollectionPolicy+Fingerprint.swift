import Foundation

extension CollectionPolicy {
    /// A number that changes when anything the planner decides with changes (segments, ladders,
    /// the window, the caps, the handoff channels, the zone) or when the planner's own rules do
    /// (`Planner.revision`). The ledger keeps the one its next checks were computed under: those
    /// computed under another may come too late for what is due now, so every open debt is then
    /// planned again (`SQLiteLedger.planAgainIfPolicyChanged`). Stable across processes: built from a
    /// canonical text (names sorted), hashed with FNV-1a and folded to 32 bits.
    public var fingerprint: Int32 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in canonicalText.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return Int32(truncatingIfNeeded: hash ^ (hash >> 32))
    }

    var canonicalText: String {
        func ladder(_ l: Ladder) -> String {
            l.name + ":" + l.steps.map { "\($0.id) \($0.at) \($0.channel) \($0.template) \($0.repeatEvery ?? 0) \($0.maxRepeats)" }.joined(separator: ";")
        }
        let hours = window.days.map { $0.map { "\($0.start)-\($0.end)" } ?? "closed" }
        return ([
            "planner \(Planner.revision)",
            segments.map { "\($0.name) any \($0.any) all \($0.all)" }.joined(separator: ";"),
            ladders.keys.sorted().map { ladder(ladders[$0]!) }.joined(separator: "|"),
            ladder(upcoming), ladder(onPaid),
            hours.joined(separator: ","), window.holidays.calendars.map(\.rawValue).sorted().joined(separator: ","),
            window.holidays.extra.map(\.iso).sorted().joined(separator: ","),
            "\(limits.minGap) \(limits.perCustomerPerWeek)", handoffChannels.sorted().joined(separator: ","), timeZone.identifier,
        ] as [String]).joined(separator: "\n")
    }
}
