import Foundation
import LembraDelivery
import TestSupport
import Testing

@Suite struct MIMEMessageTests {
    @Test func headersAndBodyDecodeWithPythonsParser() throws {
        let message = try Fixtures.message()
        let parsed = try ParsedEmail.parse(Data(try MIMEMessage(rendering: message).bytes))
        #expect(parsed.defects.isEmpty)
        #expect(parsed["Subject"] == message.subject)
        #expect(parsed["From"] == "Loja Exemplo Comércio <cobranca@loja.example>")
        #expect(parsed["To"] == "João Araújo <joao@cliente.example>")
        #expect(parsed["Reply-To"] == "atendimento@loja.example")
        #expect(parsed["Message-ID"] == "<attempt-0001@lembra.test>")
        #expect(parsed["Date"] == "Wed, 18 Nov 2026 11:06:40 +0000")
        #expect(parsed["MIME-Version"] == "1.0")
        #expect(parsed["List-Unsubscribe"] == "<mailto:sair@loja.example>")
        #expect(parsed.contentType == "text/plain")
        #expect(parsed.charset == "utf-8")
        #expect(parsed.body == message.body + "\n")
    }

    /// The Date header, worked out by arithmetic, against Foundation's formatter: before 1970,
    /// leap days, the last second of a year, and instants with a fraction of a second.
    @Test(arguments: [-86_401.5, 0, 951_782_400, 1_709_251_199.999, 1_795_000_000, 1_798_761_599, 4_102_444_799] as [Double])
    func dateHeaderMatchesFoundation(seconds: Double) throws {
        var message = try Fixtures.message()
        message.date = Date(timeIntervalSince1970: seconds)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, d MMM yyyy HH:mm:ss '+0000'"
        let date = try Fixtures.rendered(message).split(separator: "\r\n").first { $0.hasPrefix("Date: ") }.map(String.init)
        #expect(date == "Date: " + formatter.string(from: message.date))
    }

    @Test(arguments: [
        "Olá",
        "Sua fatura venceu",
        "=?UTF-8?B?not really?= encoded",
        String(repeating: "Cobrança pendente número 42, ", count: 8),
        String(repeating: "x", count: 120),
        "Emoji 💳 e acentuação: ÁÉÍÓÚ àèìòù ãõ ç",
        String(repeating: "plain words only ", count: 12),
    ])
    func subjectRoundTripsAndLinesStayShort(subject: String) throws {
        let message = try Fixtures.message(subject: subject)
        let text = try Fixtures.rendered(message)
        let parsed = try ParsedEmail.parse(Data(text.utf8))
        #expect(parsed["Subject"] == subject)
        #expect(parsed.defects.isEmpty)
        let (head, body) = try #require(split(text))
        for line in head { #expect(line.utf8.count <= 78, "header line too long: \(line)") }
        for line in body { #expect(line.utf8.count <= 76, "body line too long: \(line)") }
        #expect(text.allSatisfy { $0.isASCII })
    }

    @Test func everyLineEndsWithCRLF() throws {
        let bytes = try MIMEMessage(rendering: try Fixtures.message(body: "a\nb\r\nc\rd")).bytes
        for (index, byte) in bytes.enumerated() where byte == 0x0A {
            #expect(index > 0 && bytes[index - 1] == 0x0D)
        }
        for (index, byte) in bytes.enumerated() where byte == 0x0D {
            #expect(index + 1 < bytes.count && bytes[index + 1] == 0x0A)
        }
        #expect(bytes.suffix(2) == [0x0D, 0x0A])
        #expect(try ParsedEmail.parse(Data(bytes)).body == "a\nb\nc\nd\n")
    }

    @Test func bodyIsQuotedPrintable() throws {
        let text = try Fixtures.rendered(try Fixtures.message(body: "Olá = ok \nFrom me"))
        #expect(text.contains("Content-Transfer-Encoding: quoted-printable\r\n"))
        #expect(text.hasSuffix("\r\n\r\nOl=C3=A1 =3D ok=20\r\n=46rom me\r\n"))
    }

    @Test(arguments: [
        ("subject", "Oi\r\nBcc: vitima@example.com"),
        ("subject", "Oi\nX: y"),
        ("subject", "Oi\0"),
        ("id", "abc@x\r\nBcc: a@b"),
        ("id", "<abc@x>"),
        ("id", "no-at-sign"),
        ("header", "valor\r\nBcc: a@b"),
    ])
    func injectionIsRejected(field: String, value: String) throws {
        var message = try Fixtures.message()
        switch field {
        case "subject": message.subject = value
        case "id": message.messageID = value
        default: message.headers = [("X-Campaign", value)]
        }
        let error = #expect(throws: DeliveryError.self) { try MIMEMessage(rendering: message) }
        #expect(error?.step == "invalid_message")
        #expect(error.map { !String(describing: $0).contains("@") } == true)
    }

    @Test(arguments: ["From", "bcc", "Content-Type", "Bad Name", "Bad:Name", ""])
    func extraHeaderNamesAreChecked(name: String) throws {
        let message = try Fixtures.message(headers: [(name, "x")])
        let error = #expect(throws: DeliveryError.self) { try MIMEMessage(rendering: message) }
        #expect(error?.step == "invalid_message")
    }

    /// Splits rendered text into header lines and body lines (CRLF separated).
    private func split(_ text: String) -> ([String], [String])? {
        let lines = text.components(separatedBy: "\r\n")
        guard let blank = lines.firstIndex(of: "") else { return nil }
        return (Array(lines[..<blank]), Array(lines[(blank + 1)...]))
    }
}
