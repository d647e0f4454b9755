import Foundation
import LembraCore

/// The body of `POST /payments`:
/// `{"debt_id": "D1", "amount_cents": "12345", "paid_at": "2026-11-18T10:02:31-03:00", "reference": "E2E..."}`.
/// `amount_cents` is integer cents as a string, as in the webhooks Lembra sends, so `123.45` or
/// `12345` can never be read a hundred times off. Other keys are ignored (a PSP's extra fields).
enum PaymentConfirmation {
    static func parse(_ body: Data) throws(IngressRejection) -> IncomingPayment {
        let fields = JSONFields(object: try JSONFields.parse(body), path: "")
        if fields.object["amount_cents"] == nil, fields.object["amount"] != nil {
            throw IngressRejection(.badBody, "amount_cents: required (integer cents as a string, \"12345\" for 123.45); amount is not read")
        }
        let cents = try fields.string("amount_cents")
        guard cents.count <= 13, cents.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int64(cents),
              value > 0, value <= Money.maxAmount.cents else {
            throw IngressRejection(.badBody, "amount_cents: expected integer cents as a string, from \"1\" to \"\(Money.maxAmount.cents)\"")
        }
        return IncomingPayment(target: .debt(try fields.string("debt_id")), amount: Money(cents: value),
                               paidAt: try fields.instant("paid_at"), reference: try fields.string("reference"))
    }
}
