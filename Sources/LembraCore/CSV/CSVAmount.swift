import Foundation

/// Reads an amount as spreadsheets write it: `1234.56`, `1234,56`, `1.234,56`, `1,234.56`,
/// `R$ 1.234,56` (the space may be a no-break space, as Excel writes), in integer cents.
///
/// A value is read on its own when only one reading is possible: a mark followed by one or two
/// digits is the decimal mark; with both marks, the last one is; a mark that repeats groups
/// thousands (groups of exactly three digits). A single mark followed by exactly three digits
/// (`1.500`, `1,500`) could be either, and a wrong guess charges a thousand times too much or
/// too little, so the file decides: its decimal mark is the one its other amounts show
/// (`189,90` shows a comma), or, when none shows one, the comma in a file separated by `;`, as
/// pt-BR (and most European) spreadsheets write. When the file shows both marks, or none and
/// it is separated by `,`, such a value is refused with both readings.
struct CSVAmount {
    /// The file's decimal mark, when it settles `1.500`; nil when it does not.
    let fileMark: Character?
    /// Whether the file's amounts show both decimal marks, for the message.
    let mixed: Bool
    /// Whether this is one amount typed alone (`pay --amount`), with no file to settle `1.500`.
    let alone: Bool

    /// One amount typed alone: read the same way; `1.500` is refused with both readings.
    static let alone = CSVAmount(fileMark: nil, mixed: false, alone: true)

    private init(fileMark: Character?, mixed: Bool, alone: Bool) {
        self.fileMark = fileMark
        self.mixed = mixed
        self.alone = alone
    }

    init(_ table: CSVTable, columns: CSVColumns, column: String = "amount") {
        let shown = Set(table.records.compactMap { r in columns.value(column, in: r).flatMap { Self.decimalMarkShown(Self.withoutCurrency($0)) } })
        mixed = shown.count > 1
        alone = false
        fileMark = shown.count == 1 ? shown.first : shown.isEmpty && table.delimiter == ";" ? "," : nil
    }

    /// The rule for `RowCheck`: a message for the operator, or nil when `text` is an amount
    /// above zero and at most `Money.maxAmount`.
    func problem(_ text: String) -> String? {
        switch read(text) {
        case .failure(let problem): return problem.message
        case .success(let m) where m.cents <= 0: return "must be more than zero"
        case .success(let m) where m > Money.maxAmount: return "at most \(Money.maxAmount.decimalString) (one billion) per amount"
        case .success: return nil
        }
    }

    /// The amount in `text`, once `problem` found none.
    func money(_ text: String) -> Money? { try? read(text).get() }

    struct Problem: Error { var message: String }

    func read(_ text: String) -> Result<Money, Problem> {
        let number = Self.withoutCurrency(text)
        guard !number.isEmpty, number.allSatisfy({ ($0.isASCII && $0.isNumber) || $0 == "." || $0 == "," }),
              number.first!.isNumber, number.last!.isNumber else {
            return .failure(Problem(message: "not an amount like 1234,56, 1.234,56, R$ 1.234,56 or 1234.56"))
        }
        return split(number).flatMap { whole, fraction in
            guard whole.count <= 13, let w = Int64(whole), let f = Int64(fraction.padding(toLength: 2, withPad: "0", startingAt: 0)) else {
                return .failure(Problem(message: "at most \(Money.maxAmount.decimalString) (one billion) per amount"))
            }
            return .success(Money(cents: w * 100 + f))
        }
    }

    /// `text` without a leading `R$` and the spaces around it (plain, no-break or narrow no-break).
    static func withoutCurrency(_ text: String) -> Substring {
        let spaces: Set<Character> = [" ", "\u{00A0}", "\u{202F}"]
        var t = Substring(text).drop(while: spaces.contains)
        if t.hasPrefix("R$") { t = t.dropFirst(2).drop(while: spaces.contains) }
        while let last = t.last, spaces.contains(last) { t = t.dropLast() }
        return t
    }

    /// The decimal mark `number` shows beyond doubt, if any: the last of two different marks,
    /// or a single mark followed by one or two digits.
    static func decimalMarkShown(_ number: Substring) -> Character? {
        guard let last = number.lastIndex(where: { $0 == "." || $0 == "," }) else { return nil }
        let mark = number[last], before = number[..<last]
        if before.contains(where: { $0 != mark && ($0 == "." || $0 == ",") }) { return mark }
        return !before.contains(mark) && (1...2).contains(number.distance(from: last, to: number.endIndex) - 1) ? mark : nil
    }

    /// The whole digits (thousands marks removed) and the decimal digits of `number` (digits, `.`
    /// and `,`, a digit at each end), or why there is not exactly one reading.
    func split(_ number: Substring) -> Result<(whole: String, fraction: String), Problem> {
        guard let last = number.lastIndex(where: { $0 == "." || $0 == "," }) else { return .success((String(number), "")) }
        let mark = number[last], after = number[number.index(after: last)...], before = number[..<last]
        let decimalMark: Character?
        if let shown = Self.decimalMarkShown(number) {
            decimalMark = shown                       // `1.234,56`, `1234,5`, `1234.56`
        } else if before.contains(mark) {
            decimalMark = nil                         // `1.234.567`
        } else if after.count != 3 {
            decimalMark = mark                        // `1.2345`: too many decimals, refused below
        } else if let fileMark {
            decimalMark = mark == fileMark ? mark : nil // `1.500`: thousands in a file of `189,90`
        } else {
            let digits = number.filter(\.isNumber)
            let why = alone ? "nothing else shows which" : mixed ? "the file's other amounts use both marks" : "the file's other amounts show no decimal mark"
            return .failure(Problem(message: "ambiguous: \(number) is either \(digits) (if '\(mark)' separates thousands) or \(before) and "
                + "\(after) thousandths (if '\(mark)' is the decimal mark), and \(why); write \(digits) or \(digits).00 to mean \(digits)"))
        }
        let whole = decimalMark == nil ? number : before, fraction = decimalMark == nil ? "" : String(after)
        guard fraction.count <= 2 else { return .failure(Problem(message: "at most two decimals (cents)")) }
        let groupMark: Character? = decimalMark == nil ? mark : (mark == "." ? "," : ".")
        let groups = groupMark.map { g in whole.split(separator: g, omittingEmptySubsequences: false) } ?? [whole]
        guard groups.count == 1 || (groups.first!.count <= 3 && groups.dropFirst().allSatisfy { $0.count == 3 }),
              groups.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) else {
            return .failure(Problem(message: "thousands are grouped by three digits, like 1.234.567,89"))
        }
        return .success((groups.joined(), fraction))
    }
}
