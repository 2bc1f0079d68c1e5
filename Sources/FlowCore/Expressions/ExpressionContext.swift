/// What an expression can read: the named contexts and the status of the run so far.
public struct ExpressionContext: Sendable {
    /// The status functions' inputs (GitHub's "Status check functions").
    ///
    /// The three outcomes are exclusive, as in GitHub's runner: `success()` is true when nothing
    /// failed and the run is not cancelled; `failure()` when something failed and the run is not
    /// cancelled; `cancelled()` when the run is cancelled; `always()` is always true.
    public struct Status: Sendable, Hashable {
        /// Whether a step this one depends on (directly or through others) failed.
        public var anyFailed: Bool
        /// Whether the run has been cancelled.
        public var cancelled: Bool

        public init(anyFailed: Bool, cancelled: Bool) {
            self.anyFailed = anyFailed
            self.cancelled = cancelled
        }
    }

    /// Top-level named values: `params`, `env`, `secrets`, `steps`, `run`, `matrix`, `inputs`…
    /// Names are looked up ignoring case (GitHub's rule). Reading a name that is not here is an
    /// evaluation error, so give every context the step may read, empty (`.object([:])`) if need be.
    public var values: [String: ExpressionValue]
    /// Inputs of `success()`, `failure()` and `cancelled()`.
    public var status: Status

    public init(values: [String: ExpressionValue], status: Status = Status(anyFailed: false, cancelled: false)) {
        self.values = values
        self.status = status
    }
}
