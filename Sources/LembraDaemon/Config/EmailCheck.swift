import LembraCore

/// Addresses in the config, checked when it loads with the rule delivery applies
/// (`EmailAddressSyntax`), so a bad `from` or `reply_to` fails `check-config` instead of every
/// message. Each returns the problem for the operator, or nil.
enum EmailCheck {
    /// A channel's `from`: `Name <address>` or a bare address.
    static func sender(_ text: String) -> String? {
        address(EmailSender.split(text).address)
    }

    /// `business.reply_to`: a bare address, as the Reply-To header and the templates take it.
    static func address(_ text: String) -> String? {
        EmailAddressSyntax.problem(text).map { "not an e-mail address: \($0)" }
    }
}
