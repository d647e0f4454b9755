import Foundation
import LembraCore
import Yams

/// Reads and validates a config file. Reports every problem with its line and column and
/// returns a config only when there are none, so a bad reload never replaces a good config.
public enum ConfigLoader {
    static let topKeys = ["database", "inbox", "tick", "timezone", "locale", "currency", "business", "window", "limits",
                          "segments", "ladders", "on_paid", "templates", "channels", "payment_link", "in_doubt", "retry",
                          "metrics_file", "shutdown_timeout", "allow_outside_legal_window", "unsubscribe_url",
                          "late_fees", "ingress", "postgres", "state_directory"]

    /// The config path: `--config`, else `$LEMBRA_CONFIG`, else `/etc/lembra/lembra.yaml`.
    public static func resolvePath(_ flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        flag ?? environment["LEMBRA_CONFIG"] ?? "/etc/lembra/lembra.yaml"
    }

    /// Loads `path`; `warnings` receives non-fatal problems (also on success).
    public static func load(_ path: String, warnings: inout [ConfigProblem]) throws(ConfigError) -> LembraConfig {
        let sink = ProblemSink(file: path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError([ConfigProblem(file: path, line: 1, column: 1, message: "cannot read the file (missing or not readable)")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError([ConfigProblem(file: path, line: 1, column: 1, message: "not UTF-8 text")])
        }
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ConfigError([ConfigProblem(file: path, line: 1, column: 1, message: "the file is empty")])
            }
            root = node
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError([yamlProblem(error, file: path)])
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        let config = ConfigBuilder(root: YAMLCursor(node: root, path: "", sink: sink), base: base, file: path).build()
        // File order, so an editor can walk them top to bottom (template files after the config).
        let problems = sink.problems.enumerated().sorted { a, b in
            (a.element.file == path ? 0 : 1, a.element.file, a.element.line, a.element.column, a.offset)
                < (b.element.file == path ? 0 : 1, b.element.file, b.element.line, b.element.column, b.offset)
        }.map(\.element)
        warnings = problems.filter(\.isWarning)
        let errors = problems.filter { !$0.isWarning }
        guard errors.isEmpty, let config else { throw ConfigError(errors.isEmpty ? problems : errors) }
        return config
    }

    static func yamlProblem(_ error: any Error, file: String) -> ConfigProblem {
        if let y = error as? YamlError {
            switch y {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
                return ConfigProblem(file: file, line: mark.line, column: mark.column, message: "YAML: \(problem)")
            default: break
            }
        }
        return ConfigProblem(file: file, line: 1, column: 1, message: "YAML: \(error)")
    }
}
