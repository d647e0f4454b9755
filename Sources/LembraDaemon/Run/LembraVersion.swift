/// Lembra's version, defined here only: `lembra --version` and `lembra version` print it, so a
/// release changes one line.
public enum LembraVersion {
    public static let current = "0.1.0"
}
