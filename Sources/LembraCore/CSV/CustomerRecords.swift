import Foundation

/// Decodes a customers CSV (`id,name,email,phone,document,timezone,locale`). A row needs an
/// e-mail or a phone; when the file leaves one of those columns out, only the ledger, which
/// knows the stored values, can tell, so the check is left to it.
public enum CustomerRecords {
    public static let columns = ["id", "name", "email", "phone", "document", "timezone", "locale"]

    public static func decode(_ table: CSVTable) throws(CSVImportError) -> [Numbered<Customer>] {
        let cols = try CSVColumns(header: table.header, known: columns, required: ["id", "name"])
        var errors: [CSVError] = [], result: [Numbered<Customer>] = [], seen: [String: Int] = [:]
        for r in table.records {
            var check = RowCheck(record: r, columns: cols)
            let id = check.required("id", CSVFieldRules.id)
            let name = check.required("name", CSVFieldRules.formula)
            let email = check.optional("email", CSVFieldRules.email)
            let phone = check.optional("phone", CSVFieldRules.phone)
            let document = check.optional("document") { Document.validate($0) }
            let tz = check.optional("timezone") { TimeZone(identifier: $0) == nil ? "unknown time zone; use an IANA name like America/Sao_Paulo" : nil }
            let locale = check.optional("locale") { MessageLocale(tag: $0) == nil ? "unknown locale; use pt-BR or en" : nil }
            // With a contact column left out, the stored one may do: the ledger checks the result.
            if cols.contains("email") && cols.contains("phone") && email == nil && phone == nil && check.errors.isEmpty {
                check.fail("email", "needs an email or a phone")
            }
            if let id, let first = seen[id] { check.fail("id", "id repeats row \(first)") }
            if let id { seen[id] = r.row }
            errors += check.errors
            if check.errors.isEmpty, let id, let name {
                result.append(Numbered(row: r.row, value: Customer(id: id, name: name, email: email, phone: phone, document: document,
                                       timezone: tz, locale: locale.flatMap(MessageLocale.init(tag:)))))
            }
        }
        if !errors.isEmpty { throw CSVImportError(errors) }
        return result
    }
}
