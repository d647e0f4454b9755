import Foundation

/// Someone who owes. Personal fields (name, email, phone, document) never reach the logs (LGPD):
/// log `id` only.
public struct Customer: Sendable, Equatable {
    public var id: String
    public var name: String
    public var email: String?
    public var phone: String?
    public var document: String?
    /// IANA zone; nil means the business's zone.
    public var timezone: String?
    /// nil means the business's locale.
    public var locale: MessageLocale?

    public init(id: String, name: String, email: String? = nil, phone: String? = nil, document: String? = nil,
                timezone: String? = nil, locale: MessageLocale? = nil) {
        self.id = id; self.name = name; self.email = email; self.phone = phone
        self.document = document; self.timezone = timezone; self.locale = locale
    }
}
