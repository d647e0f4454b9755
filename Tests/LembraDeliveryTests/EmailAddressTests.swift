import LembraDelivery
import Testing

@Suite struct EmailAddressTests {
    @Test(arguments: ["ana@example.com", "a.b+tag@sub.example.com.br", "joao_silva-1@x.io", "ana@xn--aougue-wua.com.br"])
    func acceptsPlausibleAddresses(address: String) throws {
        #expect(try EmailAddress(address).address == address)
    }

    @Test(arguments: [
        "", "ana", "@example.com", "ana@", "ana@@example.com", "ana@b@example.com",
        "ana @example.com", "ana@example .com", "<ana@example.com>", "ana@example.com>",
        "ana@example.com, bia@example.com", "ana@example.com\r\nRCPT TO:<x@y.z>", "ana@example.com\n",
        "ana\0@example.com", "ana@exa\rmple.com", "\"ana\"@example.com", "ana(x)@example.com",
        "joão@example.com", "ana@example..com", "ana@-example.com", ".ana@example.com",
        "ana..b@example.com", "ana@example.com;x", "ana@[127.0.0.1]",
        "a@b.", "a@.com", "ana@example.com.", "root@localhost", "ana@exa_mple.com", "ana@example-.com",
    ])
    func rejectsAnythingElse(address: String) {
        let error = #expect(throws: DeliveryError.self) { try EmailAddress(address) }
        #expect(error?.step == "invalid_message")
    }

    @Test(arguments: ["Ana\r\nBcc: x@y.z", "Ana\n", "Ana\0", "Ana\u{7F}"])
    func rejectsControlCharactersInDisplayName(name: String) {
        #expect(throws: DeliveryError.self) { try EmailAddress("ana@example.com", displayName: name) }
    }

    @Test func emptyDisplayNameMeansNone() throws {
        #expect(try EmailAddress("ana@example.com", displayName: "").displayName == nil)
    }

    /// Delivery applies the rule CSV import applies, and says which part of it failed.
    @Test(arguments: [
        ("a@b.", "e-mail address: empty domain label"), ("a@.com", "e-mail address: empty domain label"),
        ("root@localhost", "e-mail address: domain without a dot"), ("joão@example.com", "e-mail address: has a character outside plain ASCII"),
        ("ana\r\n@example.com", "e-mail address: contains a control character"), ("ana@b@example.com", "e-mail address: more than one at sign"),
    ])
    func errorsNameTheProblem(address: String, expected: String) {
        let error = #expect(throws: DeliveryError.self) { try EmailAddress(address) }
        #expect(error?.message.hasPrefix(expected) == true, "\(error.map(String.init(describing:)) ?? "")")
    }

    @Test func errorsNeverEchoTheAddress() {
        let error = #expect(throws: DeliveryError.self) { try EmailAddress("ana silva@example.com") }
        let text = error.map(String.init(describing:)) ?? ""
        #expect(!text.contains("ana") && !text.contains("example"))
        #expect(text.hasPrefix("step=invalid_message "))
    }
}
