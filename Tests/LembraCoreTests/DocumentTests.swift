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
        ("00.000.000/0000-00", "CNPJ check digits do not match"),
        ("11.222.333/0001-82", "CNPJ check digits do not match"),
        ("11.222.333/0001-91", "CNPJ check digits do not match"),
        ("529.982.247-2", "a CPF has 11 digits and a CNPJ 14"),
        ("1234567890123", "a CPF has 11 digits and a CNPJ 14"),
        ("529.982.247-25x", "a CPF has 11 digits and a CNPJ 14"),
        ("529.982.247-25#", "a CPF or CNPJ has only digits and . - / (a CNPJ may also have letters A to Z)"),
        ("=529.982.247-25", "a CPF or CNPJ has only digits and . - / (a CNPJ may also have letters A to Z)"),
    ])
    func rejectsInvalidDocuments(text: String, message: String) {
        #expect(Document.validate(text) == message)
    }

    @Test(arguments: [
        ("529.982.247-25", Document.Kind.cpf, "52998224725"), (" 529 982 247 25 ", .cpf, "52998224725"),
        ("11.222.333/0001-81", .cnpj, "11222333000181"), ("11222333000181", .cnpj, "11222333000181"),
    ] as [(String, Document.Kind, String)])
    func numericDocumentsKeepOnlyTheirDigits(text: String, kind: Document.Kind, value: String) throws {
        let document = try Document(text)
        #expect(document.kind == kind)
        #expect(document.value == value)
    }
}

extension DocumentTests {
    /// Full-width and Arabic-Indic digits are digits to Swift, but not in a CPF.
    @Test(arguments: ["５２９.９８２.２４７-２５", "٥٢٩٩٨٢٢٤٧٢٥"])
    func rejectsDigitsThatAreNotASCII(text: String) {
        #expect(Document.validate(text) == "a CPF or CNPJ has only digits and . - / (a CNPJ may also have letters A to Z)")
    }
}

/// Alphanumeric CNPJs (Receita Federal, from July 2026). Expected check digits were computed
/// separately from the published rule: ASCII code minus 48, then the numeric CNPJ's mod 11.
extension DocumentTests {
    @Test(arguments: [
        ("12.ABC.345/01DE-35", "12ABC34501DE35"), ("12ABC34501DE35", "12ABC34501DE35"),
        ("12.abc.345/01de-35", "12ABC34501DE35"), ("12.aBc.345/01De-35", "12ABC34501DE35"),
        ("A1.B2C.3D4/E5F6-68", "A1B2C3D4E5F668"), ("ZZ.ZZZ.ZZZ/ZZZZ-62", "ZZZZZZZZZZZZ62"),
        ("LEMBRA00000112", "LEMBRA00000112"), ("00.000.000/000A-04", "00000000000A04"),
    ])
    func acceptsAlphanumericCNPJsInUppercase(text: String, value: String) throws {
        let document = try Document(text)
        #expect(document.kind == .cnpj)
        #expect(document.value == value)
        #expect(Document.validate(text) == nil)
    }

    /// Of the 100 possible check digits for `12ABC34501DE`, only the Receita's example's 35 matches.
    @Test func onlyTheRightCheckDigitsPass() {
        let passing = (0...99).map { n in (n < 10 ? "0" : "") + String(n) }.filter { Document.validate("12ABC34501DE" + $0) == nil }
        #expect(passing == ["35"])
    }

    @Test(arguments: [
        ("12.ABC.345/01DE-36", "CNPJ check digits do not match"),
        ("12.ABC.345/01DF-35", "CNPJ check digits do not match"),
        ("21.ABC.345/01DE-35", "CNPJ check digits do not match"),
        ("12.ABC.345/01DE-3A", "the last two characters of a CNPJ are check digits, never letters"),
        ("12ABC34501DEAB", "the last two characters of a CNPJ are check digits, never letters"),
        ("12.ABC.345/01D-35", "a CPF has 11 digits and a CNPJ 14"),
        ("529.982.247-2A", "a CPF has 11 digits and a CNPJ 14"),
        ("12.ÁBC.345/01DE-35", "a CPF or CNPJ has only digits and . - / (a CNPJ may also have letters A to Z)"),
        ("12_ABC_345/01DE-35", "a CPF or CNPJ has only digits and . - / (a CNPJ may also have letters A to Z)"),
        ("１２ABC34501DE35", "a CPF or CNPJ has only digits and . - / (a CNPJ may also have letters A to Z)"),
    ])
    func rejectsBadAlphanumericCNPJs(text: String, message: String) {
        #expect(Document.validate(text) == message)
    }

    @Test func errorsCarryAReasonAndNeverTheDocument() {
        let cases = [("12.ABC.345/01DE-36", "check_digits"), ("12ABC34501DEAB", "letter_in_check_digits"),
                     ("12ABC", "length"), ("12ABC34501DE3$", "characters")]
        for (text, reason) in cases {
            let error = #expect(throws: DocumentError.self) { try Document(text) }
            #expect(error?.reason == reason, "\(text)")
            #expect(error.map { !"\($0)".contains("12ABC") && !"\($0)".contains("ABC") } == true)
        }
    }
}
