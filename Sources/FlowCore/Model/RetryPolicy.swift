/// `retry:` — how often and how soon a failed step is tried again.
public struct RetryPolicy: Sendable, Hashable {
    public enum Backoff: String, Sendable, Hashable, CaseIterable {
        /// Every wait is `delay`.
        case fixed
        /// The wait before attempt n+1 is `delay × 2^(n−1)`, capped at `maxDelay`.
        case exponential
    }

    /// Total attempts including the first; at least 1.
    public var attempts: Int
    public var backoff: Backoff
    public var delay: Duration
    public var maxDelay: Duration?

    public init(attempts: Int, backoff: Backoff = .fixed, delay: Duration = .zero, maxDelay: Duration? = nil) {
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.delay = delay
        self.maxDelay = maxDelay
    }

    /// The wait after failed attempt `attempt` (1-based) before the next one.
    public func delay(after attempt: Int) -> Duration {
        var wait = delay
        if backoff == .exponential {
            for _ in 1..<max(1, attempt) {
                wait = wait * 2
                if let cap = maxDelay, wait >= cap { break }
            }
        }
        if let cap = maxDelay, wait > cap { wait = cap }
        return wait
    }
}
