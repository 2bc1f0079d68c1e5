/// The `crawl` kind's settings after input checking (see `CrawlExecutor.spec`).
struct CrawlOptions: Sendable {
    var maxDepth = 10
    var maxPages = 10_000
    /// Globs over the URL path (with `?query`); for `file` URLs, the file path. A page is
    /// followed when it matches some `allow` (or `allow` is empty) and no `deny`.
    var allow: [GlobPattern] = []
    var deny: [GlobPattern] = []
    var obeyRobots = true
    /// Requests per second per host; 0 for no limit.
    var rate: Double = 4
    /// Requests in flight at once, over all hosts.
    var concurrency = 4
    var timeout: Duration = .seconds(30)
    /// Further attempts after a 429, a 5xx or a network error.
    var retries = 3
    /// The first backoff; it doubles with each retry (capped at `maxBackoff`) unless the
    /// server's `Retry-After` says otherwise.
    var retryDelay: Duration = .seconds(1)
    /// The longest wait for one retry, whatever `Retry-After` asks.
    var maxBackoff: Duration = .seconds(300)
    /// Redirect hops followed from one link.
    var maxRedirects = 5

    /// The interval between requests to one host: `1/rate`, or robots.txt's `crawl-delay`
    /// when that is longer.
    func interval(crawlDelay: Double?) -> Duration {
        var seconds = rate > 0 ? 1 / rate : 0
        if let delay = crawlDelay { seconds = max(seconds, delay) }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// Whether `path` passes `allow` and `deny`.
    func permits(_ path: String) -> Bool {
        if !allow.isEmpty, !allow.contains(where: { $0.matches(path) }) { return false }
        return !deny.contains { $0.matches(path) }
    }
}
