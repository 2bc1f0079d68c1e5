/// robots.txt rules per origin, fetched once per crawl even when many requests to a new
/// host start together.
actor RobotsCache {
    private var rules: [String: Task<RobotsRules, Never>] = [:]

    /// The rules of `origin`, fetching them with `load` the first time.
    func rules(for origin: String, load: @escaping @Sendable () async -> RobotsRules) async -> RobotsRules {
        if let known = rules[origin] { return await known.value }
        let task = Task { await load() }
        rules[origin] = task
        return await task.value
    }
}
