import LembraCore
import Testing
import TestSupport

/// Brazilian phones as people write them, to E.164 for gateways; the rest refused.
@Suite struct PhoneNumberTests {
    @Test(arguments: [
        ("(11) 98765-4321", "+5511987654321"),
        ("11 98765-4321", "+5511987654321"),
        ("11987654321", "+5511987654321"),
        ("011987654321", "+5511987654321"),
        ("0 11 98765-4321", "+5511987654321"),
        ("+55 11 98765-4321", "+5511987654321"),
        ("+55 (11) 98765.4321", "+5511987654321"),
        ("5511987654321", "+5511987654321"),
        ("55 11 98765-4321", "+5511987654321"),
        ("(11) 3456-7890", "+551134567890"),
        ("011 3456-7890", "+551134567890"),
        ("551134567890", "+551134567890"),
        ("(55) 99876-5432", "+5555998765432"),  // area code 55 (Santa Maria/RS) is not the country code
        ("+1 415 555 0100", "+14155550100"),
        ("+351 912 345 678", "+351912345678"),
    ])
    func normalises(written: String, e164: String) {
        #expect(PhoneNumber.e164(written) == e164)
    }

    @Test(arguments: [
        "123", "98765-4321",              // no area code
        "(01) 98765-4321",                // no area code has a 0
        "(11) 8765-4321",                 // eight digits starting with 8: an old mobile number, before the 9
        "(11) 1234-5678",                 // no landline starts with 1
        "(11) 88765-4321",                // nine digits are mobile and start with 9
        "+55 11 98765-43210",             // too long for Brazil
        "+1 23", "+1234567890123456",     // too short or too long for E.164
        "11 9123x-5678", "+55 11 98765-4321 ramal 2", "11+98765-4321", "١١٩٨٧٦٥٤٣٢١",
    ])
    func refuses(written: String) {
        #expect(PhoneNumber.e164(written) == nil)
    }

    /// Random numbers as people type them, with the characters that must be refused mixed in,
    /// read as the Character-level code read them (`LegacyPhoneNumber`).
    @Test func readsBytesAsItReadCharacters() {
        var rng = SeededGenerator(seed: 0xF0E5)
        let pieces = ["1", "9", "0", "2", "6", "55", "11", "98765", "4321", "3456", "+", " ", "-", ".", "(", ")", "\r\n", "\t", "１", "٣", "1\u{301}", "x", "+55"]
        var numbers = 0
        for i in 0..<50_000 {
            let text = (0..<Int(rng.next() % 8)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            let e164 = PhoneNumber.e164(text)
            #expect(e164 == LegacyPhoneNumber.e164(text), "case \(i): \(text)")
            if e164 != nil { numbers += 1 }
        }
        #expect(numbers > 100, "the corpus reaches valid numbers too")
    }
}
