/// The limits SMTP and webhook channels share, checked the same way for both.
public enum TransferLimits {
    /// `rate:` in messages per second. At least one message every 100 s: slower is no use (the
    /// watchdog takes a tick that sends nothing for 10 minutes as stalled), and a rate near zero
    /// overflowed the pacing arithmetic.
    public static let rates = 0.01...10_000.0

    static func validate(connectTimeout: Double, timeout: Double, maxConnections: Int, rate: Double?) throws(DeliveryError) {
        guard connectTimeout > 0, timeout > 0, connectTimeout < 86_400, timeout < 86_400 else {
            throw .config("timeouts must be positive numbers of seconds, less than a day")
        }
        guard (1...256).contains(maxConnections) else { throw .config("max connections must be between 1 and 256") }
        if let rate, !rates.contains(rate) {
            throw .config("rate must be from 0.01 to 10000 messages per second")
        }
    }
}
