@testable import LembraCore

/// `EmailAddressSyntax.check` as it was before it checked ASCII addresses on bytes (Character
/// by Character): the oracle the byte-level rule is compared with
/// (`EmailAddressSyntaxTests.checksOnBytesAsItDidOnCharacters`).
enum LegacyEmailAddressSyntax {
    static func problem(_ address: String) -> EmailAddressError? {
        do throws(EmailAddressError) {
            try check(address)
            return nil
        } catch {
            return error
        }
    }

    static func check(_ address: String) throws(EmailAddressError) {
        guard !address.isEmpty else { throw .empty }
        guard !address.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { throw .controlCharacter }
        guard address.unicodeScalars.allSatisfy(\.isASCII) else { throw .notASCII }
        guard address.utf8.count <= 254 else { throw .tooLong(address.utf8.count) }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count > 1 else { throw .noAtSign }
        guard parts.count == 2 else { throw .severalAtSigns }
        try checkLocalPart(parts[0])
        try checkDomain(parts[1])
    }

    static let localSymbols = Set("!#$%&'*+-/=?^_`{|}~")

    private static func checkLocalPart(_ local: Substring) throws(EmailAddressError) {
        guard !local.isEmpty else { throw .emptyLocalPart }
        guard local.utf8.count <= 64 else { throw .localPartTooLong(local.utf8.count) }
        if let bad = local.first(where: { !($0.isLetter || $0.isNumber || $0 == "." || localSymbols.contains($0)) }) {
            throw .forbiddenCharacter(bad)
        }
        guard !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else { throw .misplacedDot }
    }

    private static func checkDomain(_ domain: Substring) throws(EmailAddressError) {
        guard !domain.isEmpty else { throw .emptyDomain }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.allSatisfy({ !$0.isEmpty }) else { throw .emptyDomainLabel }
        guard labels.count >= 2 else { throw .singleLabelDomain }
        for label in labels {
            if let bad = label.first(where: { !($0.isLetter || $0.isNumber || $0 == "-") }) { throw .forbiddenDomainCharacter(bad) }
            guard label.utf8.count <= 63 else { throw .domainLabelTooLong(label.utf8.count) }
            guard !label.hasPrefix("-"), !label.hasSuffix("-") else { throw .hyphenAtLabelEdge }
        }
    }
}
