@testable import LembraDelivery
import Foundation
import Testing

/// What a receiver quotes back of a request, in the shapes receivers use, is cut out; what
/// isn't personal (its own words, codes, dates, addresses of machines) stays readable.
struct PersonalDataTests {
    static let ana = PersonalData(values: ["Ana Souza", "ana.souza@example.com", "+55 11 91234-5678"])

    @Test(arguments: [
        #"{"to": "+55 11 91234-5678", "name": "Ana Souza"}"#,
        #"{"to": "5511912345678", "name": "ANA SOUZA"}"#,
        #"{"first": "Ana", "last": "souza"}"#,
        #"{"name": "Ana Souza", "email": "ana.souza@example.com"}"#,
        #"{"phone": "(11) 91234-5678"}"#,
        #"{"phone": "11 91234 5678"}"#,
        #"{"phone": "91234-5678"}"#,
        #"invalid recipient tel:5511912345678"#,
    ])
    func theCustomersDataIsCutInEveryShape(reply: String) {
        let safe = Self.ana.redact(reply)
        for leak in ["Ana", "ANA", "ana", "Souza", "souza", "SOUZA", "example", "91234", "5678", "912345678"] {
            #expect(!safe.contains(leak), "'\(leak)' left in \(safe)")
        }
        #expect(safe.contains("<redacted>"), "\(safe)")
    }

    @Test func anEscapedOrUnaccentedNameIsRecognised() {
        let joao = PersonalData(values: ["João Araújo"])
        for reply in [#"{"name": "Jo\u00e3o Ara\u00fajo"}"#, #"{"name": "JOAO ARAUJO"}"#, #"{"first": "joão"}"#] {
            let safe = joao.redact(reply)
            #expect(!safe.lowercased().contains("jo") && !safe.lowercased().contains("ara"), "\(reply) → \(safe)")
        }
    }

    /// A name with an initial or other punctuation is still cut word by word, and an address
    /// URL-encoded (no `@` left) is still an address.
    @Test(arguments: [
        "invalid recipient MARIA OLIVEIRA maria.oliveira%40example.com",
        "name=Maria+S.+Oliveira&email=maria.oliveira%40example.com",
        "to=MARIA.OLIVEIRA%40EXAMPLE.COM",
        #"{"first": "Maria", "last": "Oliveira", "email": "maria.oliveira%40example.com"}"#,
        "recipient Maria%20S.%20Oliveira unknown",
    ])
    func aNameWithAnInitialAndAnEncodedAddressAreCut(reply: String) {
        let maria = PersonalData(values: ["Maria S. Oliveira", "maria.oliveira@example.com", "+55 11 98888-7777"])
        let safe = maria.redact(reply)
        for leak in ["maria", "oliveira", "example", "%40"] {
            #expect(!safe.lowercased().contains(leak), "'\(leak)' left in \(safe)")
        }
    }

    @Test func everyWordOfTwoLettersOrMoreOfANameIsCutButNotAnInitial() {
        let names = PersonalData(values: ["O'Brien-Wu, J. R.", "Conceição d'Ávila", "Maria da Silva"])
        #expect(names.redact("obrien BRIEN wu Conceicao AVILA") == "obrien <redacted> <redacted> <redacted> <redacted>")
        #expect(names.redact("plan J failed for R") == "plan J failed for R", "an initial alone names no one")
        #expect(names.redact("Jo%C3%A3o? no: CONCEI%C3%87%C3%83O") == "João? no: <redacted>")
        #expect(names.redact("número da conta de MARIA SILVA") == "número da conta de <redacted> <redacted>",
                "a particle in lowercase is the receiver's Portuguese too")
        #expect(PersonalData(values: ["Minh Do"]).redact("DO minh") == "<redacted> <redacted>", "a capitalised two-letter surname is cut")
    }

    @Test func invalidURLEscapesAreLeftAsTheyAre() {
        let text = "100% sure: %zz %4 %FF%FE a+b 50%"
        #expect(Self.ana.redact(text) == text)
        #expect(PersonalData.unescapingURL("a%2Bb+c%") == "a+b c%", "a word with a valid escape is form-decoded")
    }

    @Test func theReceiversOwnWordsStay() {
        let safe = Self.ana.redact(#"{"error": "invalid_destination", "detail": "number not on whatsapp", "code": 4012}"#)
        #expect(safe == #"{"error": "invalid_destination", "detail": "number not on whatsapp", "code": 4012}"#)
        #expect(Self.ana.redact("Banana") == "Banana", "a name's word only as a whole word")
    }

    /// Whoever it belongs to, something shaped like personal data goes; what only looks
    /// numeric (dates, times, IPs, ports, status codes, amounts, ids) stays.
    @Test(arguments: [
        ("ligue +55 21 99876-5432 ou (21) 3333-4444", "ligue <redacted> ou <redacted>"),
        ("cpf 529.982.247-25 ou 52998224725", "cpf <redacted> ou <redacted>"),
        ("cnpj 11.222.333/0001-81 e 12.ABC.345/01DE-35", "cnpj <redacted> e <redacted>"),
        ("to: maria@example.com, cc", "to: <redacted> cc"),
        ("to: maria%40example.com, cc", "to: <redacted> cc"),
        ("timestamp 1614265330", "timestamp <redacted>"),
    ])
    func shapesOfPersonalDataAreScrubbed(text: String, expected: String) {
        #expect(PersonalData.scrubbed(text) == expected)
    }

    @Test(arguments: [
        "550 5.1.1 mailbox unavailable",
        "expired on 2026-11-18 at 10:00:00, or 18/11/2026",
        "Failed to connect to 192.168.100.200 port 45123 after 3001 ms",
        "amount R$ 1.234,56 (123456 cents) for att_mwm4pb401mv6zp0k41hza",
        "queued as 4F8D12345678",
    ])
    func whatOnlyLooksNumericStays(text: String) {
        #expect(PersonalData.scrubbed(text) == text)
    }

    @Test func valuesAreReadFromTheJSONBodyLazily() {
        let body = Data(#"{"customer": {"id": "c-0001", "name": "Ana Souza", "phone": "+55 11 91234-5678"}, "step": "forgetful.1d"}"#.utf8)
        let personal = PersonalData(json: body, fields: ["customer.name", "customer.phone", "customer.email"])
        #expect(personal.redact("Souza: forgetful.1d c-0001") == "<redacted>: forgetful.1d c-0001")
        #expect(PersonalData(json: Data("not json".utf8), fields: ["customer.name"]).redact("Souza") == "Souza")
    }
}
