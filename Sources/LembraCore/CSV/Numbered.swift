/// A decoded value with the CSV row it came from, so later checks (an unknown customer, say)
/// can still name the row.
public struct Numbered<Value: Sendable>: Sendable {
    public var row: Int
    public var value: Value
    public init(row: Int, value: Value) { self.row = row; self.value = value }
}
