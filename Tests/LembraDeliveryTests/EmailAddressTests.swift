import LembraDelivery
import Testing

@Suite struct EmailAddressTests {
    @Test(arguments: ["ana@example.com", "a.b+tag@sub.example.com.br", "joao_silva-1@x.io", "root@localhost"])
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

    @Test func errorsNeverEchoTheAddress() {
        let error = #expect(throws: DeliveryError.self) { try EmailAddress("ana silva@example.com") }
        let text = error.map(String.init(describing:)) ?? ""
        #expect(!text.contains("ana") && !text.contains("example"))
        #expect(text.hasPrefix("step=invalid_message "))
    }
}
