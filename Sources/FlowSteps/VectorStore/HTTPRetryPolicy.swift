/// When and how long `JSONHTTPClient` waits before sending a request again.
///
/// Retried: HTTP 408, 429 and 5xx, timeouts and connection failures. The wait before retry `n`
/// (1-based) is the server's `Retry-After` (seconds or an HTTP date, RFC 9110 §10.2.3) when
/// given, capped at `maxRetryAfter`; otherwise `min(maxDelay, baseDelay · 2^(n−1))` with up
/// to 25 % added at random (jitter, so that clients do not retry in step).
public struct HTTPRetryPolicy: Sendable, Hashable {
    /// Requests sent at most (first try included); ≥ 1.
    public var attempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    public var maxRetryAfter: Duration

    public init(
        attempts: Int = 6, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(30),
        maxRetryAfter: Duration = .seconds(120)
    ) {
        precondition(attempts >= 1, "attempts")
        self.attempts = attempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// Whether a response status is worth retrying.
    public static func isRetryable(status: Int) -> Bool {
        status == 408 || status == 429 || (500...599).contains(status)
    }

    /// The exponential delay before retry `retry` (1-based), without jitter.
    public func backoff(retry: Int) -> Duration {
        let factor = 1 << min(max(retry - 1, 0), 30)
        return min(maxDelay, baseDelay * factor)
    }
}
