import Synchronization

/// The inbox files whose names are none of the three kinds (`clientes.csv`, `debts.xlsx`),
/// remembered for the life of the process so each is logged once (`event=inbox_ignored`), not
/// at every tick. They are left where they are: the name may be a writer's file still being
/// written, which moving would break. A name that leaves the inbox is forgotten, so a file put
/// back later under it is logged again. Keyed by full path, for every inbox in the process.
enum IgnoredInboxFiles {
    private static let reported = Mutex<Set<String>>([])

    /// The names of `ignored` (in the inbox at `directory`) not reported before; forgets the
    /// other names of that inbox no longer there.
    static func firstSeen(_ ignored: [String], in directory: String) -> [String] {
        let paths = Set(ignored.map { directory + "/" + $0 })
        return reported.withLock { seen in
            seen = seen.filter { !$0.hasPrefix(directory + "/") || paths.contains($0) }
            return ignored.filter { seen.insert(directory + "/" + $0).inserted }
        }
    }
}
