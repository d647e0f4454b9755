/// `--config`, `--now` and `--utc` written before the subcommand (`lembra --config FILE status`).
///
/// Every subcommand declares them itself (`GlobalOptions`), and the argument parser only reads
/// a subcommand's options after its name; but the options apply to every command alike, and a
/// shell helper that prefixes them to whatever follows is the natural way to pin a config and a
/// clock for a session. So those leading options are moved to just after the subcommand's name
/// before parsing, where the parser reads them as usual (a second `--now` later on wins, as
/// when both are written after the subcommand).
enum LeadingOptions {
    /// The options that may lead, each followed by a value.
    static let names: Set<String> = ["--config", "--now"]
    /// The flags that may lead (no value).
    static let flags: Set<String> = ["--utc"]

    /// `arguments` (without the program name) with any leading `--config X` / `--now X` (or
    /// `--config=X`) and `--utc` moved after the subcommand that follows them; unchanged when they are not
    /// followed by one of `subcommands` (the parser then reports the problem as it would anyway).
    static func moved(_ arguments: [String], subcommands: Set<String>) -> [String] {
        var leading: [String] = []
        var rest = arguments[...]
        while let first = rest.first {
            if flags.contains(first) {
                leading.append(first)
                rest = rest.dropFirst()
            } else if names.contains(first), rest.count >= 2 {
                leading += rest.prefix(2)
                rest = rest.dropFirst(2)
            } else if names.contains(where: { first.hasPrefix($0 + "=") }) {
                leading.append(first)
                rest = rest.dropFirst()
            } else {
                break
            }
        }
        guard !leading.isEmpty, let command = rest.first, subcommands.contains(command) else { return arguments }
        return [command] + leading + rest.dropFirst()
    }
}
