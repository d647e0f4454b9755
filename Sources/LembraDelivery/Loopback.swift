import Foundation

/// Hosts on this machine, where clear text (SMTP without TLS, plain http) never crosses a network.
public enum Loopback {
    /// `localhost`, `::1` (bracketed or not) and 127.0.0.0/8 written as four decimal octets;
    /// a name like `127.example.com` is not loopback.
    public static func contains(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if bare == "localhost" || bare == "::1" { return true }
        let octets = bare.split(separator: ".", omittingEmptySubsequences: false).map { UInt8($0) }
        return octets.count == 4 && octets.allSatisfy { $0 != nil } && octets[0] == 127
    }
}
