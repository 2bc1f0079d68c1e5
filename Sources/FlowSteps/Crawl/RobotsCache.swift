/// robots.txt rules per origin, fetched once per crawl even when many requests to a new
/// host start together.
actor RobotsCache {
    private var rules: [String: Task<RobotsRules, Never>] = [:]

    /// The rules of `origin`, fetching them with `load` the first time. Cancelling a caller
    /// cancels the shared fetch (everyone waiting on it belongs to the same crawl, which is
    /// being stopped); the fetch then gives up at once (`load` sees the cancellation).
    func rules(for origin: String, load: @escaping @Sendable () async -> RobotsRules) async -> RobotsRules {
        let task: Task<RobotsRules, Never>
        if let known = rules[origin] {
            task = known
        } else {
            task = Task { await load() }
            rules[origin] = task
        }
        return await withTaskCancellationHandler {
            await task.value
        } onCancel: {
            task.cancel()
        }
    }
}
