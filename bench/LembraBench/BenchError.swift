/// A benchmark that could not measure what it was asked to (the figure would be meaningless).
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
