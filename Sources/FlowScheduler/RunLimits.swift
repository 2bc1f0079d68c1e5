/// How many runs may execute at once: in all, and per workflow. Runs over a limit wait as
/// `queued` and start, oldest first, when a slot frees.
public struct RunLimits: Sendable, Hashable {
    /// Runs executing at once in the whole daemon, ≥ 1.
    public var global: Int
    /// Runs of one workflow executing at once, ≥ 1; nil for no limit but `global`.
    public var perWorkflow: Int?

    public init(global: Int = 16, perWorkflow: Int? = 4) {
        self.global = max(1, global)
        self.perWorkflow = perWorkflow.map { max(1, $0) }
    }
}
