import Foundation
@testable import LembraDaemon
import TestSupport

/// Writes a config (and templates) into a temp dir and loads it.
struct ConfigFixture {
    let dir: TemporaryDirectory

    static let business = """
        business:
          name: Oficina Teste Ltda
          document: 11.222.333/0001-81
          address: Rua Teste, 1
        """
    static let outbox = """
        channels:
          email: { type: outbox, path: out, from: "Teste <a@b.com>" }
        """
    static let ladders = """
        ladders:
          upcoming: []
          forgetful: [ { at: 1d, channel: email, template: friendly } ]
          short_delay: [ { at: 6d, channel: email, template: friendly } ]
          chronic: [ { at: 1d, channel: email, template: friendly } ]
        on_paid: [ { channel: email, template: friendly } ]
        """

    init() throws {
        dir = try TemporaryDirectory("lembra-config")
        try dir.write("templates/pt-BR/friendly.mustache", "Subject: Olá {{customer.name}}\n\nDevido: {{total}}\n")
    }

    func load(_ yaml: String) throws(ConfigError) -> LembraConfig {
        var warnings: [ConfigProblem] = []
        return try load(yaml, warnings: &warnings)
    }

    func load(_ yaml: String, warnings: inout [ConfigProblem]) throws(ConfigError) -> LembraConfig {
        let path = (try? dir.write("lembra.yaml", yaml).path) ?? ""
        return try ConfigLoader.load(path, warnings: &warnings)
    }

    /// The problems of an invalid config, as `LINE:COL: message` without the file name.
    func problems(_ yaml: String) -> [String] {
        do {
            _ = try load(yaml)
            return []
        } catch {
            return error.problems.map { "\($0.line):\($0.column): \($0.message)" }
        }
    }
}
