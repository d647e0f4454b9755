/// Brazilian taxpayer ids: CPF (11 digits) and CNPJ (14 digits), with their check digits.
public enum Document {
    /// nil when `text` is a valid CPF or CNPJ (punctuation allowed); otherwise the problem.
    public static func validate(_ text: String) -> String? {
        let digits = text.compactMap(\.wholeNumberValue)
        guard text.allSatisfy({ ($0.isASCII && $0.isNumber) || ".-/ ".contains($0) }) else { return "a CPF or CNPJ has only digits and . - /" }
        switch digits.count {
        case 11: return checkDigits(digits, weights: Array((2...10).reversed())) && checkDigits(digits, weights: Array((2...11).reversed()))
            && Set(digits).count > 1 ? nil : "CPF check digits do not match"
        case 14: return checkDigits(digits, weights: [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2])
            && checkDigits(digits, weights: [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]) && Set(digits).count > 1 ? nil : "CNPJ check digits do not match"
        default: return "a CPF has 11 digits and a CNPJ 14"
        }
    }

    /// Checks the digit right after the `weights.count` digits it weighs (mod 11 rule).
    static func checkDigits(_ d: [Int], weights: [Int]) -> Bool {
        let sum = zip(d, weights).reduce(0) { $0 + $1.0 * $1.1 }
        let r = sum % 11
        return d[weights.count] == (r < 2 ? 0 : 11 - r)
    }
}
