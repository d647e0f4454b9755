import Foundation
import LembraCore

/// The body the BCB Pix API posts to a receiver's webhook:
/// `{"pix": [{"endToEndId": "E...", "txid": "...", "valor": "123.45", "horario": "2026-11-18T13:02:31.358Z", ...}]}`.
/// Each entry is one payment: `txid` names the debt (the txid of its Pix code), `endToEndId` is
/// its reference. An entry without a txid (a Pix sent to the key by hand) is kept unmatched.
/// Other keys (`chave`, `infoPagador`, `devolucoes`) are ignored. Every entry is checked before
/// any is recorded.
enum PixNotification {
    static func parse(_ body: Data) throws(IngressRejection) -> [IncomingPayment] {
        guard let entries = try JSONFields.parse(body)["pix"] as? [Any] else {
            throw IngressRejection(.badBody, "pix: required, a list of payments")
        }
        var payments: [IncomingPayment] = []
        for (i, entry) in entries.enumerated() {
            guard let object = entry as? [String: Any] else { throw IngressRejection(.badBody, "pix[\(i)]: expected an object") }
            let fields = JSONFields(object: object, path: "pix[\(i)]")
            let valor = try fields.string("valor")
            guard let amount = Money(decimal: valor), amount.cents > 0, amount <= Money.maxAmount else {
                throw IngressRejection(.badBody, "\(fields.name("valor")): expected a positive amount like 123.45")
            }
            let txid = object["txid"] as? String ?? ""
            payments.append(IncomingPayment(target: .pixTxid(txid), amount: amount, paidAt: try fields.instant("horario"),
                                            reference: try fields.string("endToEndId")))
        }
        return payments
    }
}
