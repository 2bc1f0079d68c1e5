public import FlowCore
public import FlowStore

/// Finds a run by its id or a prefix of it, as `flow show/logs/cancel/retry RUN` take it.
public enum RunLookup {
    /// How many matching ids an ambiguous prefix lists.
    static let shownCandidates = 5

    /// The run whose id is `prefix`, or the only one whose id starts with it.
    /// - Throws: `.runNotFound` when none matches, or when several do — then the message says
    ///   the prefix is ambiguous, how many runs match and lists the newest few
    ///   (`shownCandidates`); `.database` when the store cannot be read.
    public static func find(_ prefix: String, in store: RunStore) throws(RuntimeError) -> Run {
        do {
            if let run = try store.run(prefix) { return run }
            // The store answers nil for both "none" and "several": tell them apart. Only on
            // this failure path, so reading every run's id is acceptable.
            let matches = try store.runs(limit: -1).filter { $0.id.rawValue.hasPrefix(prefix) }
            guard matches.count > 1 else { throw RuntimeError(.runNotFound, "no run '\(prefix)'") }
            var list = matches.prefix(shownCandidates).map(\.id.rawValue).joined(separator: ", ")
            if matches.count > shownCandidates { list += ", …" }
            throw RuntimeError(
                .runNotFound,
                "run id prefix '\(prefix)' is ambiguous: \(matches.count) runs match (newest first: \(list)); "
                    + "give more characters")
        } catch let error as RuntimeError {
            throw error
        } catch let error as StoreError {
            throw RuntimeError(error)
        } catch {
            throw RuntimeError(.database, "\(error)")
        }
    }
}
