import Foundation
import LembraCore
@testable import LembraIngress
import Testing

/// The bodies of `POST /payments` and `POST /pix`, parsed into payments or refused naming the field.
struct ConfirmationParsingTests {
    func data(_ s: String) -> Data { Data(s.utf8) }

    @Test func aGenericConfirmationIsIntegerCentsAndAnInstantWithItsOffset() throws {
        let p = try PaymentConfirmation.parse(data(#"{"debt_id":"D1","amount_cents":"12345","paid_at":"2026-11-18T10:02:31-03:00","reference":"E2E1","extra":1}"#))
        #expect(p == IncomingPayment(target: .debt("D1"), amount: Money(cents: 12_345),
                                     paidAt: Date(timeIntervalSince1970: 1_795_006_951), reference: "E2E1"))
    }

    @Test func anAmbiguousAmountIsRefusedNamingTheField() {
        let cases = [
            (#"{"debt_id":"D1","amount":"123.45","paid_at":"2026-11-18T10:02:31Z","reference":"R"}"#, "amount_cents: required"),
            (#"{"debt_id":"D1","amount_cents":"123.45","paid_at":"2026-11-18T10:02:31Z","reference":"R"}"#, "amount_cents: expected integer cents"),
            (#"{"debt_id":"D1","amount_cents":12345,"paid_at":"2026-11-18T10:02:31Z","reference":"R"}"#, "amount_cents: expected a string"),
            (#"{"debt_id":"D1","amount_cents":"0","paid_at":"2026-11-18T10:02:31Z","reference":"R"}"#, "amount_cents: expected integer cents"),
            (#"{"debt_id":"D1","amount_cents":"100","paid_at":"2026-11-18T10:02:31","reference":"R"}"#, "paid_at: expected ISO 8601 with an offset"),
            (#"{"debt_id":"D1","amount_cents":"100","paid_at":"2026-11-18T10:02:31Z"}"#, "reference: required"),
            (#"[1]"#, "the body must be a JSON object"),
        ]
        for (body, message) in cases {
            do {
                _ = try PaymentConfirmation.parse(data(body))
                Issue.record("accepted \(body)")
            } catch {
                #expect(error.reason == .badBody && error.message.hasPrefix(message), "\(body): \(error.message)")
            }
        }
    }

    @Test func aBCBPixNotificationIsOnePaymentPerEntry() throws {
        let body = #"""
            {"pix":[
              {"endToEndId":"E12345678202611181302abcdefghijk","txid":"DEB20260001","valor":"123.45","chave":"x","horario":"2026-11-18T13:02:31.358Z","infoPagador":"obrigado"},
              {"endToEndId":"E12345678202611181303abcdefghijk","valor":"7.5","horario":"2026-11-18T10:03:00-03:00"}
            ]}
            """#
        let payments = try PixNotification.parse(data(body))
        #expect(payments == [
            IncomingPayment(target: .pixTxid("DEB20260001"), amount: Money(cents: 12_345), paidAt: Date(timeIntervalSince1970: 1_795_006_951),
                            reference: "E12345678202611181302abcdefghijk"),
            IncomingPayment(target: .pixTxid(""), amount: Money(cents: 750), paidAt: Date(timeIntervalSince1970: 1_795_006_980),
                            reference: "E12345678202611181303abcdefghijk"),
        ])
    }

    @Test func aBadPixEntryRefusesTheWholeBodyNamingIt() {
        let body = #"{"pix":[{"endToEndId":"E1","txid":"T","valor":"1.00","horario":"2026-11-18T13:02:31Z"},{"endToEndId":"E2","txid":"T","valor":"1,00","horario":"2026-11-18T13:02:31Z"}]}"#
        #expect(throws: IngressRejection(.badBody, "pix[1].valor: expected a positive amount like 123.45")) { try PixNotification.parse(data(body)) }
        #expect(throws: IngressRejection(.badBody, "pix: required, a list of payments")) { try PixNotification.parse(data(#"{"pix":{}}"#)) }
    }

    @Test func timestampsNeedAnOffsetAndMayHaveFractions() {
        #expect(IngressTimestamp.parse("2026-11-18T13:02:31Z") == Date(timeIntervalSince1970: 1_795_006_951))
        #expect(IngressTimestamp.parse("2026-11-18T13:02:31.999999Z") == Date(timeIntervalSince1970: 1_795_006_951))
        #expect(IngressTimestamp.parse("2026-11-18T10:02:31.5-03:00") == Date(timeIntervalSince1970: 1_795_006_951))
        for bad in ["2026-11-18T13:02:31", "2026-11-18", "2026-11-18T13:02:31.Z", "2026-11-18T13:02:31.1x+00:00", "2026-11-18T13:02:31 00:00"] {
            #expect(IngressTimestamp.parse(bad) == nil, "\(bad)")
        }
    }
}
