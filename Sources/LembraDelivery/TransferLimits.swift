/// The limits SMTP and webhook channels share, checked the same way for both.
enum TransferLimits {
    static func validate(connectTimeout: Double, timeout: Double, maxConnections: Int, rate: Double?) throws(DeliveryError) {
        guard connectTimeout > 0, timeout > 0, connectTimeout < 86_400, timeout < 86_400 else {
            throw .config("timeouts must be positive numbers of seconds, less than a day")
        }
        guard (1...256).contains(maxConnections) else { throw .config("max connections must be between 1 and 256") }
        if let rate, !(rate > 0 && rate <= 10_000) {
            throw .config("rate must be a positive number of messages per second, at most 10000")
        }
    }
}
