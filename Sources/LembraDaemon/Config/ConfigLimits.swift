/// The largest values `check-config` accepts where a config could otherwise ask for more than
/// the code can compute with: `tick: 99999999999999999999d` overflowed the timer and stopped the
/// daemon, a huge `expires_in` overflowed every payment link's expiry and stopped every tick, a
/// ladder step thousands of years away overflowed the calendar. Each bound is far beyond any
/// sensible setting, so it only ever refuses a typo; the README and the example config list them.
enum ConfigLimits {
    static let day = 86_400.0
    /// `tick:` at most a day: reminders fall due by the day, and the window opens daily.
    static let tick = day
    /// `limits.min_gap:` at most 7 days: the caps look back one rolling week, so a longer gap
    /// could not be kept anyway.
    static let minGap = 7 * day
    /// `payment_link.expires_in:` at most a year.
    static let linkExpiry = 365 * day
    /// `retry.base_delay:` at most a day; `retry.max_delay:` at most 7 days: a reminder retried
    /// later than that is stale.
    static let retryBaseDelay = day
    static let retryMaxDelay = 7 * day
    /// `shutdown_timeout:` at most an hour (the shipped unit lets systemd wait 60 s).
    static let shutdownTimeout = 3_600.0
    /// A ladder step's `at:` and `repeat:`, in days: at most ten years either way.
    static let ladderDays = 3_650
    /// Sections (`{{#…}}`, `{{^…}}`) nested in a template, at most. The Mustache parser recurses
    /// once per level and crashed the process (stack overflow) past about 550 levels on an 8 MB
    /// stack; a real template nests two or three.
    static let templateDepth = 16
    /// `ingress.max_body:` at most 1 MB: a payment confirmation is a few hundred bytes, a Pix
    /// notification a few per payment; the body is held in memory while it is checked.
    static let ingressMaxBody = 1024 * 1024
    /// `postgres.statement_timeout:` at most an hour: a statement that long is a stalled
    /// database, and the tick waits for it.
    static let statementTimeout = 3_600.0
    /// `postgres.lease:` at most a day: a dead daemon's sends wait that long for another to
    /// recover them.
    static let lease = day
}
