import LembraCore
import Testing

@Suite struct DocumentTests {
    @Test(arguments: ["529.982.247-25", "52998224725", "111.444.777-35", "11.222.333/0001-81", "11222333000181", "45.723.174/0001-10", " 529 982 247 25 "])
    func acceptsValidDocuments(text: String) {
        #expect(Document.validate(text) == nil)
    }

    @Test(arguments: [
        ("111.111.111-11", "CPF check digits do not match"),
        ("000.000.000-00", "CPF check digits do not match"),
        ("529.982.247-26", "CPF check digits do not match"),
        ("529.982.247-35", "CPF check digits do not match"),
        ("11.111.111/1111-11", "CNPJ check digits do not match"),
        ("11.222.333/0001-82", "CNPJ check digits do not match"),
        ("11.222.333/0001-91", "CNPJ check digits do not match"),
        ("529.982.247-2", "a CPF has 11 digits and a CNPJ 14"),
        ("1234567890123", "a CPF has 11 digits and a CNPJ 14"),
        ("529.982.247-25x", "a CPF or CNPJ has only digits and . - /"),
        ("=529.982.247-25", "a CPF or CNPJ has only digits and . - /"),
    ])
    func rejectsInvalidDocuments(text: String, message: String) {
        #expect(Document.validate(text) == message)
    }
}

extension DocumentTests {
    /// Full-width and Arabic-Indic digits are digits to Swift, but not in a CPF.
    @Test(arguments: ["５２９.９８２.２４７-２５", "٥٢٩٩٨٢٢٤٧٢٥"])
    func rejectsDigitsThatAreNotASCII(text: String) {
        #expect(Document.validate(text) == "a CPF or CNPJ has only digits and . - /")
    }
}
