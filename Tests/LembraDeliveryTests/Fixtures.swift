import Foundation
import LembraDelivery

/// Sample data shared by the delivery tests: Portuguese text with accents, as Lembra sends.
enum Fixtures {
    static let date = Date(timeIntervalSince1970: 1_795_000_000) // Wed, 18 Nov 2026 11:06:40 +0000

    static let body = """
        Olá, João Araújo!

        Sua fatura de R$ 1.234,56 venceu em 18/11/2026. Você pode pagar pelo link abaixo, com \
        toda a comodidade e segurança, até o fim desta semana sem juros adicionais: ação rápida.
        https://pay.example/d/debt-0001?token=abc=def&x=1
        From here on, a line that mbox tools would mangle.
        .
        Linha com espaços no fim   \("")
        = sinal de igual e tab\t
        Loja Exemplo Ltda — CNPJ 12.345.678/0001-90
        """

    static func message(subject: String = "Lembrete: sua fatura vence em 3 dias — ação necessária",
                        body: String = body, id: String = "attempt-0001@lembra.test",
                        headers: [(String, String)] = [("List-Unsubscribe", "<mailto:sair@loja.example>")]) throws -> EmailMessage {
        EmailMessage(
            messageID: id, date: date,
            from: try EmailAddress("cobranca@loja.example", displayName: "Loja Exemplo Comércio"),
            replyTo: try EmailAddress("atendimento@loja.example"),
            to: try EmailAddress("joao@cliente.example", displayName: "João Araújo"),
            subject: subject, body: body, headers: headers)
    }

    /// Rendered bytes as text, for line-level checks.
    static func rendered(_ message: EmailMessage) throws -> String {
        String(decoding: try MIMEMessage(rendering: message).bytes, as: UTF8.self)
    }
}
