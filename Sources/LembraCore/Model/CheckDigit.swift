/// The mod-11 check digit shared by CPF and CNPJ.
enum CheckDigit {
    /// The digit that follows the `weights.count` values it weighs: the weighted sum's remainder
    /// by 11, where a remainder of 0 or 1 gives 0 and any other r gives 11 − r. Values are the
    /// characters' ASCII codes minus 48, so digits count as themselves and CNPJ letters as 17 ('A')
    /// to 42 ('Z'), as the Receita Federal defines it.
    static func mod11(_ values: [Int], weights: [Int]) -> Int {
        let remainder = zip(values, weights).reduce(0) { $0 + $1.0 * $1.1 } % 11
        return remainder < 2 ? 0 : 11 - remainder
    }
}
