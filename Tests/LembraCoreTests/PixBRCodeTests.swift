import Foundation
import LembraCore
import Testing
import TestSupport

@Suite struct PixBRCodeTests {
    static let bcbExample = "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR"
        + "5913Fulano de Tal6008BRASILIA62070503***63041D3D"

    func merchant(key: String = "123e4567-e12b-12d1-a456-426655440000", name: String = "Fulano de Tal",
                  city: String = "BRASILIA") throws -> PixMerchant {
        try PixMerchant(key: key, name: name, city: city)
    }

    /// The thrown `PixError`, to check `reason` and `field`.
    func pixError(_ body: () throws -> Void) -> PixError? {
        do { try body() } catch let error as PixError { return error } catch { Issue.record("unexpected \(error)") }
        return nil
    }

    // MARK: - Codes

    @Test func reproducesTheBancoCentralExampleByteForByte() throws {
        let code = try PixBRCode(merchant: merchant())
        #expect(code.payload == Self.bcbExample)
        #expect(code.description == Self.bcbExample)
        #expect(code.txid == "***")
    }

    /// Expected codes made by starkbank-brcode's own generator (`brcode.static.fromJson`).
    @Test(arguments: [
        ("arya@stark.com", "Arya Stark", "Winterfell", 12_500, "DEB20260001",
         "00020126360014br.gov.bcb.pix0114arya@stark.com5204000053039865406125.005802BR5910Arya Stark6010Winterfell"
            + "62150511DEB2026000163047B7F"),
        ("123.456.789-09", "Padaria São João", "SÃO PAULO", 1, nil,
         "00020126330014br.gov.bcb.pix01111234567890952040000530398654040.015802BR5916Padaria Sao Joao6009SAO PAULO"
            + "62070503***630482C5"),
        ("+55 (11) 98765-4321", "Oficina do Zé", "Rio de Janeiro", 999_999_999_999, "ABCdef123",
         "00020126360014br.gov.bcb.pix0114+551198765432152040000530398654139999999999.995802BR5913Oficina do Ze"
            + "6014Rio de Janeiro62130509ABCdef1236304E076"),
    ] as [(String, String, String, Int64, String?, String)])
    func matchesAnotherGenerator(key: String, name: String, city: String, cents: Int64, txid: String?, expected: String) throws {
        let code = try PixBRCode(merchant: merchant(key: key, name: name, city: city), amount: Money(cents: cents), txid: txid)
        #expect(code.payload == expected)
    }

    @Test(arguments: [(1, "0.01"), (10, "0.10"), (100, "1.00"), (12_345, "123.45"), (123_456, "1234.56")] as [(Int64, String)])
    func writesTheAmountFromCents(cents: Int64, field: String) throws {
        let payload = try PixBRCode(merchant: merchant(), amount: Money(cents: cents)).payload
        let length = field.count < 10 ? "0\(field.count)" : "\(field.count)"
        #expect(payload.contains("5303986" + "54" + length + field + "5802BR"))
    }

    @Test(arguments: [0, -1, 1_000_000_000_000] as [Int64])
    func refusesAmountsAPixCantCarry(cents: Int64) throws {
        let m = try merchant()
        let error = pixError { _ = try PixBRCode(merchant: m, amount: Money(cents: cents)) }
        #expect(error?.reason == "invalid_amount")
        #expect(error?.field == "amount")
    }

    @Test func aDebtPaysItsAmountWithItsTxid() throws {
        let debt = Debt(id: "DEB20260001", customerID: "C1", amount: Money(cents: 15_990),
                        dueDate: CalendarDate(year: 2026, month: 11, day: 20)!)
        let code = try PixBRCode(debt: debt, merchant: merchant())
        #expect(code.amount == Money(cents: 15_990))
        #expect(code.txid == "DEB20260001")
        #expect(code.payload.contains("5406159.90") && code.payload.contains("62150511DEB20260001"))
    }

    @Test func pixIsOnlyForReais() throws {
        let debt = Debt(id: "D1", customerID: "C1", amount: Money(cents: 100),
                        dueDate: CalendarDate(year: 2026, month: 11, day: 20)!, currency: "USD")
        let m = try merchant()
        #expect(pixError { _ = try PixBRCode(debt: debt, merchant: m) }?.reason == "unsupported_currency")
    }

    // MARK: - Keys

    @Test(arguments: [
        ("123.456.789-09", PixKey.Kind.cpf, "12345678909"), ("12345678909", .cpf, "12345678909"),
        ("11.222.333/0001-81", .cnpj, "11222333000181"), ("12.ABC.345/01DE-35", .cnpj, "12ABC34501DE35"),
        ("12.abc.345/01de-35", .cnpj, "12ABC34501DE35"), ("12ABC34501DE35", .cnpj, "12ABC34501DE35"),
        ("+5511987654321", .phone, "+5511987654321"),
        ("+55 (21) 3456-7890", .phone, "+552134567890"), ("  Ana.Souza@Example.COM ", .email, "ana.souza@example.com"),
        ("123E4567-E12B-12D1-A456-426655440000", .random, "123e4567-e12b-12d1-a456-426655440000"),
    ] as [(String, PixKey.Kind, String)])
    func normalisesKeysToTheirRegisteredForm(text: String, kind: PixKey.Kind, value: String) throws {
        let key = try PixKey(text)
        #expect(key.kind == kind)
        #expect(key.value == value)
    }

    @Test(arguments: [
        "123.456.789-00", "11987654321", "11.222.333/0001-00", "1234567890", "+5511987", "+1415555123", "+55 11 9876x4321",
        "+550198765432", "ana@", "@example.com", "ana@example", "ana@@example.com", "ana souza@example.com", "ana@.example.com",
        "123e4567-e12b-12d1-a456-42665544000g", "minha chave", "ção@example.com", "", "ana@example.", "ana@exa_mple.com",
        "12.ABC.345/01DE-36", "12.ABC.345/01DE-3A", "ABCDEFGHIJKLMN",
        String(repeating: "a", count: 66) + "@example.com", String(repeating: "a", count: 64) + "@example.com.b",
    ])
    func refusesWhatTheDICTWouldNotResolve(text: String) {
        let error = pixError { _ = try PixKey(text) }
        #expect(error?.field == "key")
        #expect(["invalid_key", "empty"].contains(error?.reason))
    }

    @Test func keyErrorsNeverRepeatTheKey() {
        for text in ["123.456.789-00", "11987654321", "ana@example", "+5511987"] {
            let error = pixError { _ = try PixKey(text) }
            #expect(error.map { !"\($0)".contains(text) && !"\($0)".contains("98765") } == true)
        }
        #expect(pixError { _ = try PixKey("11987654321") }?.message.contains("+55") == true)
    }

    @Test func theLongestEmailKeyStillFitsField26() throws {
        let key = String(repeating: "a", count: 64) + "@examples.com"
        #expect(key.count == 77)
        let code = try PixBRCode(merchant: merchant(key: key))
        #expect(code.payload.hasPrefix("000201269900"))
    }

    // MARK: - Name and city

    @Test(arguments: [
        ("São Paulo", "Sao Paulo"), ("JOÃO DA CONCEIÇÃO", "JOAO DA CONCEICAO"), ("Açaí & Cia.", "Acai & Cia."),
        ("  Brasília ", "Brasilia"), ("Ｆｕｌａｎｏ", "Fulano"), ("Lojas Müller Ñandú", "Lojas Muller Nandu"),
    ])
    func removesAccentsAndKeepsCase(text: String, expected: String) throws {
        #expect(try merchant(name: text).name == expected)
    }

    @Test func limitsCountCharactersAfterRemovingAccents() throws {
        let name25 = "Comércio de Açaí Conceição"  // 26 characters
        #expect(pixError { _ = try merchant(name: name25) }?.reason == "too_long")
        #expect(try merchant(name: "Comércio de Açaí Conceiçã").name.utf8.count == 25)
        #expect(try merchant(city: "São José do Rio").city == "Sao Jose do Rio")
        let code = try PixBRCode(merchant: merchant(name: "Ação Ótica Ümlaut Úteis Ç", city: "São José do Rio"))
        #expect(code.payload.contains("5925Acao Otica Umlaut Uteis C6015Sao Jose do Rio"))
    }

    @Test(arguments: [
        ("merchant_name", String(repeating: "x", count: 26), "too_long"), ("merchant_city", "São José dos Campos", "too_long"),
        ("merchant_name", "   ", "empty"), ("merchant_city", "", "empty"), ("merchant_name", "Café ☕", "unsupported_character"),
        ("merchant_name", "Straße", "unsupported_character"), ("merchant_city", "Rio\nde Janeiro", "unsupported_character"),
    ])
    func refusesNamesAndCitiesThatDontFit(field: String, text: String, reason: String) {
        let error = pixError { _ = try field == "merchant_name" ? merchant(name: text) : merchant(city: text) }
        #expect(error?.field == field)
        #expect(error?.reason == reason)
    }

    @Test func tooLongSaysByHowMuch() {
        let error = pixError { _ = try merchant(city: "São José dos Campos") }
        #expect(error?.description == "merchant_city: is 19 characters after removing accents; a Pix code allows at most 15")
    }

    // MARK: - txid

    @Test(arguments: ["***", "A", "abcDEF0123456789012345678"])
    func acceptsValidTxids(txid: String) throws {
        #expect(try PixBRCode(merchant: merchant(), txid: txid).txid == txid)
    }

    @Test(arguments: ["", "**", "abc-1", "ação", "abcDEF01234567890123456789", "a b"])
    func refusesInvalidTxids(txid: String) throws {
        let m = try merchant()
        #expect(pixError { _ = try PixBRCode(merchant: m, txid: txid) }?.reason == "invalid_txid")
    }

    @Test(arguments: [
        ("DEB20260001", "DEB20260001"), ("a1", "a1"), ("A1", "A1"), ("1234567890123456789012345", "1234567890123456789012345"),
        // Digests, pinned (computed independently in Python) so they never change between versions or platforms.
        ("DEB-2026-0001", "DEB202600010BIRMD6UY5XK7"), ("A-1", "A13T3RFNYNDUBVQ"), ("nota/fiscal 12", "notafiscal122W28V9VS7FORV"),
        ("débito#7", "dbito72QLJ76SHPY0AL"), ("12345678901234567890123456", "1234567890121FNB54SXRS34Y"),
        ("CONTRATO-2026-000123-PARCELA-07-DE-12", "CONTRATO202614WEQ2NE5HAUI"), ("---", "3DSWJSTY2WSHY"), ("", "33NIIHZJ4UX45"),
    ])
    func derivesTxidsFromDebtIDs(id: String, txid: String) throws {
        #expect(PixBRCode.txid(fromDebtID: id) == txid)
        #expect(try PixBRCode(merchant: merchant(), txid: PixBRCode.txid(fromDebtID: id)).txid == txid)
    }

    @Test func longIDsGetDistinctStableTxids() {
        let a = PixBRCode.txid(fromDebtID: "CONTRATO-2026-000123-PARCELA-07-DE-12")
        let b = PixBRCode.txid(fromDebtID: "CONTRATO-2026-000123-PARCELA-08-DE-12")
        #expect(a.count == 25 && b.count == 25 && a != b)
        #expect(a.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
        #expect(PixBRCode.txid(fromDebtID: "12345678901234567890123456") != PixBRCode.txid(fromDebtID: "12345678901234567890123457"))
    }

    /// Dropping punctuation or truncating would give these pairs one txid, and a statement
    /// reference would point at two debts.
    @Test(arguments: [
        ("A-1", "A1"), ("A-1", "A.1"), ("A-1", "A_1"), ("DEB-2026-0001", "DEB20260001"), ("DEB-2026-0001", "DEB:2026:0001"),
        ("123456789012345678901234567890", "123456789012345678901234567891"),
        ("PEDIDO0000000000000000000000001", "PEDIDO0000000000000000000000002"),
    ])
    func idsThatLookAlikeGetDifferentTxids(a: String, b: String) {
        #expect(PixBRCode.txid(fromDebtID: a) != PixBRCode.txid(fromDebtID: b))
    }

    /// Every way of writing the same few letters and digits with CSV id punctuation, and ids of
    /// every length around 25: all distinct ids, all distinct txids, each a valid txid, the same
    /// on every call.
    @Test func txidsAreDistinctValidAndStable() throws {
        var ids = Set<String>()
        let separators = ["", "-", "_", ".", ":"]
        for a in separators { for b in separators { for c in separators { ids.insert("D\(a)2026\(b)00\(c)1") } } }
        for length in 20...40 { for last in ["1", "2", "-", "."] { ids.insert(String(repeating: "7", count: length - 1) + last) } }
        var txids = Set<String>()
        for id in ids {
            let txid = PixBRCode.txid(fromDebtID: id)
            #expect(txid == PixBRCode.txid(fromDebtID: id))
            #expect((1...25).contains(txid.count) && txid.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }, "\(id) → \(txid)")
            txids.insert(txid)
        }
        #expect(txids.count == ids.count)
        #expect(try PixBRCode(merchant: merchant(), txid: PixBRCode.txid(fromDebtID: "D-2026-00-1")).txid.hasPrefix("D2026001"))
    }

    /// The txid rules now run on UTF-8 bytes; these are the Character- and scalar-based versions
    /// they replaced, compared over random ids (ASCII, punctuation, accents precomposed and
    /// combining, emoji, `\r\n`, lengths around 25): same derived txid, same accept or refuse.
    @Test func txidRulesAreTheOldCharacterBasedOnes() throws {
        func oldIsTxid(_ txid: String) -> Bool {
            txid == "***" || (1...25).contains(txid.count) && txid.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        }
        func oldIsTxidCharacter(_ scalar: Unicode.Scalar) -> Bool {
            ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
        }
        func oldTxid(fromDebtID id: String) -> String {
            if (1...25).contains(id.unicodeScalars.count), id.unicodeScalars.allSatisfy(oldIsTxidCharacter) { return id }
            let readable = String(String.UnicodeScalarView(id.unicodeScalars.filter(oldIsTxidCharacter).prefix(12)))
            let hash = String(Array(id.utf8).reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }, radix: 36, uppercase: true)
            return readable + String(repeating: "0", count: 13 - hash.count) + hash
        }
        let pieces = ["A", "z", "0", "9", "DEB", "2026", "-", "_", " ", "*", "é", "e\u{301}", "Ç", "ß", "٣", "Ⅻ", "🇧🇷", "\r\n", "\u{0}",
                      "\u{301}", "ａ", "½"]
        let m = try merchant()
        var rng = SeededGenerator(seed: 0x7_1D)
        for _ in 0..<3_000 {
            let id = (0..<Int.random(in: 0...30, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            #expect(PixBRCode.txid(fromDebtID: id) == oldTxid(fromDebtID: id), "\(id)")
            #expect(((try? PixBRCode(merchant: m, txid: id)) != nil) == oldIsTxid(id), "\(id)")
        }
    }

    // MARK: - Independent decoder

    @Test func anIndependentDecoderAgreesOnEveryCode() throws {
        let debts: [(key: String, name: String, city: String, cents: Int64?, txid: String?)] = [
            ("123e4567-e12b-12d1-a456-426655440000", "Fulano de Tal", "BRASILIA", nil, nil),
            ("123.456.789-09", "Padaria São João", "São Paulo", 12_345, "DEB20260001"),
            ("11.222.333/0001-81", "Açougue & Mercearia Ltda", "Maceió", 1, PixBRCode.txid(fromDebtID: "CONTRATO-2026-000123-PARCELA-07")),
            ("12.abc.345/01de-35", "Padaria Nova", "Recife", 2_500, PixBRCode.txid(fromDebtID: "A-1")),
            ("+55 (11) 98765-4321", "Oficina do Zé", "Rio de Janeiro", 999_999_999_999, "x"),
            ("Ana.Souza@Example.com", "Comércio de Açaí Conceiçã", "Sao Jose do Rio", 100, "abcDEF0123456789012345678"),
            (String(repeating: "a", count: 64) + "@examples.com", "N", "C", 99, "***"),
        ]
        var codes: [PixBRCode] = []
        for d in debts {
            codes.append(try PixBRCode(merchant: merchant(key: d.key, name: d.name, city: d.city),
                                       amount: d.cents.map(Money.init(cents:)), txid: d.txid))
        }
        let decoded = try BRCodeDecoder.decode(codes.map(\.payload))
        try #require(decoded.count == codes.count)
        #expect(decoded[0].code == Self.bcbExample)
        for (code, result) in zip(codes, decoded) {
            #expect(result.error == nil, "\(code.payload)")
            #expect(result.crcValid, "\(code.payload)")
            #expect(result.code == code.payload)
            #expect(result.gui == "br.gov.bcb.pix")
            #expect(result.key == code.merchant.key.value)
            #expect(result.amount == code.amount?.decimalString)
            #expect(result.txid == code.txid)
            #expect(result.name == code.merchant.name)
            #expect(result.city == code.merchant.city)
        }
    }

    @Test func theIndependentDecoderCatchesABadCRCOrLength() throws {
        let badCRC = String(Self.bcbExample.dropLast()) + "E"
        let badLength = Self.bcbExample.replacingOccurrences(of: "5913Fulano", with: "5914Fulano")
        let decoded = try BRCodeDecoder.decode([badCRC, badLength])
        #expect(decoded.map(\.crcValid) == [false, false])
    }
}

/// Runs `Tests/servers/check_brcode.py` with starkbank-brcode from `.venv-brcode`, which
/// `scripts/brcode-venv.sh` makes (once per test run; the script does nothing when it is current).
enum BRCodeDecoder {
    struct Result: Decodable {
        var code: String
        var crcValid: Bool
        var error: String?
        var gui: String?
        var key: String?
        var amount: String?
        var name: String?
        var city: String?
        var txid: String?
    }

    /// The repository root, from this file's location (as TestSupport's `RepositoryPaths` does).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// nil once the venv is ready, else why not. A `static let`, so it runs once even when tests run in parallel.
    static let venvProblem: String? = {
        let (status, _, stderr) = run(root.appendingPathComponent("scripts/brcode-venv.sh"), input: Data())
        return status == 0 ? nil : "scripts/brcode-venv.sh failed (\(status)): \(String(decoding: stderr, as: UTF8.self))"
    }()

    static func decode(_ codes: [String]) throws -> [Result] {
        if let venvProblem { throw DecoderFailure(message: venvProblem) }
        let (status, stdout, stderr) = run(root.appendingPathComponent(".venv-brcode/bin/python"),
                                           arguments: [root.appendingPathComponent("Tests/servers/check_brcode.py").path],
                                           input: Data(codes.map { $0 + "\n" }.joined().utf8))
        guard status == 0 else { throw DecoderFailure(message: "check_brcode.py: " + String(decoding: stderr, as: UTF8.self)) }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode([Result].self, from: stdout)
    }

    struct DecoderFailure: Error, CustomStringConvertible { var message: String; var description: String { message } }

    /// Runs a program to completion. Output is read after stdin is closed: the checker reads all of
    /// its input before writing, and its output is a few kilobytes.
    static func run(_ program: URL, arguments: [String] = [], input: Data) -> (Int32, Data, Data) {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        let (inPipe, outPipe, errPipe) = (Pipe(), Pipe(), Pipe())
        process.standardInput = inPipe; process.standardOutput = outPipe; process.standardError = errPipe
        do { try process.run() } catch { return (-1, Data(), Data("cannot start \(program.path): \(error)".utf8)) }
        inPipe.fileHandleForWriting.write(input)
        try? inPipe.fileHandleForWriting.close()
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        let err = errPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, out, err)
    }
}
