import Foundation
import LembraCore

extension ConfigBuilder {
    /// `window: { weekdays: "08:00-20:00", saturday: "08:00-14:00", sunday: closed, holidays: [br-national], extra_holidays: [...] }`.
    /// Wider than the legal default is refused unless `allow_outside_legal_window: true`.
    func window(_ c: YAMLCursor, allowWide: Bool) -> SendingWindow {
        var w = SendingWindow.legalDefault
        for (key, v) in c.mapping(allowed: ["weekdays", "saturday", "sunday", "holidays", "extra_holidays"]) ?? [] {
            switch key {
            case "weekdays": if let h = hours(v) { for d in 0..<5 { w.days[d] = h } }
            case "saturday": if let h = hours(v) { w.days[5] = h }
            case "sunday": if let h = hours(v) { w.days[6] = h }
            case "holidays":
                w.holidays.calendars = (v.list() ?? []).compactMap { item in
                    guard let s = item.string() else { return nil }
                    guard let cal = Holidays.Calendar(rawValue: s) else { item.fail("unknown holiday calendar '\(s)'; known: br-national"); return nil }
                    return cal
                }
            default:
                w.holidays.extra = Set((v.list() ?? []).compactMap { item in
                    guard let s = item.string() else { return nil }
                    guard let d = CalendarDate(iso: s) else { item.fail("expected a date like 2026-01-25"); return nil }
                    return d
                })
            }
        }
        checkLegal(w, c, allowWide: allowWide)
        return w
    }

    /// `HH:MM-HH:MM` or `closed`; `.some(nil)` means closed.
    func hours(_ c: YAMLCursor) -> SendingWindow.Hours?? {
        guard let s = c.string() else { return nil }
        if s == "closed" { return .some(nil) }
        guard let h = SendingWindow.Hours(s) else { c.fail("expected hours like 08:00-20:00, or closed"); return nil }
        return .some(h)
    }

    func checkLegal(_ w: SendingWindow, _ c: YAMLCursor, allowWide: Bool) {
        let legal = SendingWindow.legalDefault
        let wider = (0..<7).contains { d in
            guard let h = w.days[d] else { return false }
            guard let l = legal.days[d] else { return true }
            return h.start < l.start || h.end > l.end
        } || !w.holidays.calendars.contains(.brNational)
        guard wider else { return }
        if allowWide {
            c.warn("wider than the legal default (Mon–Fri 08:00–20:00, Sat 08:00–14:00, no Sundays or national holidays; CDC art. 71, SP Lei 15.426/2014)")
        } else {
            c.fail("wider than the legal default (Mon–Fri 08:00–20:00, Sat 08:00–14:00, no Sundays or national holidays); set allow_outside_legal_window: true to insist")
        }
    }
}
