/// Spaces requests to each host: a request to a host starts no sooner than `interval` after
/// the previous one to the same host started (requests/second = 1 / interval). Reservations
/// are made in call order, so concurrent callers queue fairly.
actor HostPacer<C: Clock> where C.Duration == Duration {
    private let clock: C
    private var nextSlot: [String: C.Instant] = [:]

    init(clock: C) {
        self.clock = clock
    }

    /// Waits for the host's next slot and reserves the one after it.
    /// - Throws: `CancellationError` when cancelled while waiting.
    func wait(host: String, interval: Duration) async throws {
        guard interval > .zero else { return }
        let now = clock.now
        let slot = max(now, nextSlot[host] ?? now)
        nextSlot[host] = slot.advanced(by: interval)
        if slot > now { try await clock.sleep(until: slot, tolerance: nil) }
    }
}
