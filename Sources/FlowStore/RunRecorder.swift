public import FlowCore
public import Foundation

/// Writes one run's events to the database in batches: a writer thread takes everything
/// queued since its last transaction and applies it in one transaction (group commit), so
/// recording costs a few transactions per burst of steps instead of one per event.
/// `handle` never blocks on the database.
///
/// Batching: once an event arrives at an idle writer, the writer lingers up to `linger` for
/// more before it opens its transaction (as Kafka's `linger.ms`), unless `batchLimit` events
/// are already waiting, `flush`/`close` is called, or the queue is full. An event therefore
/// reaches the file at most `linger` plus one transaction after `handle`; a thousand quick
/// steps cost a few dozen transactions instead of two thousand.
public final class RunRecorder: RunObserver, @unchecked Sendable {
    // Safety of @unchecked Sendable: every mutable field below is read and written only while
    // holding `condition`'s lock; `store` and `run` are immutable and Sendable.
    private let store: RunStore
    private let run: RunID
    private let condition = NSCondition()
    /// Most events queued before `handle` waits for the writer.
    private let maxPending: Int
    /// How long the writer waits for more events before a transaction.
    private let linger: TimeInterval
    /// Events that start a transaction at once, without lingering.
    private let batchLimit: Int
    private var pending: [RunEvent] = []
    private var writing = false
    private var closed = false
    private var failure: StoreError?
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var thread: Thread?

    /// Starts the writer thread for `run`, whose row must exist (`RunStore.createRun`).
    /// - Parameters:
    ///   - maxPending: events queued before `handle` waits for the writer (back-pressure).
    ///   - linger: seconds the writer waits for more events before it writes (0: no wait).
    public init(store: RunStore, run: RunID, maxPending: Int = 16_384, linger: TimeInterval = 0.02) {
        self.store = store
        self.run = run
        self.maxPending = max(1, maxPending)
        self.linger = max(0, linger)
        batchLimit = max(1, min(4_096, maxPending / 2))
        let thread = Thread { [self] in self.loop() }
        thread.name = "flow-recorder"
        self.thread = thread
        thread.start()
    }

    public func handle(_ event: RunEvent) {
        condition.lock()
        while pending.count >= maxPending && failure == nil { condition.wait() }
        pending.append(event)
        // Wake the writer only when it may be waiting: for a first event, or to end its linger.
        if pending.count == 1 || pending.count == batchLimit { condition.broadcast() }
        condition.unlock()
    }

    /// Waits until every event handed in so far is written.
    /// - Throws: the first `StoreError` any batch met (later batches are still attempted).
    public func flush() async throws(StoreError) {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            if enqueueWaiter(c) { c.resume() }
        }
        if let failure = firstFailure() { throw failure }
    }

    private func firstFailure() -> StoreError? {
        condition.lock()
        defer { condition.unlock() }
        return failure
    }

    private func markClosed() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Writes what is left and stops the writer thread.
    public func close() async throws(StoreError) {
        try await flush()
        markClosed()
    }

    /// Returns true when nothing is pending (the caller resumes `c` itself).
    private func enqueueWaiter(_ c: CheckedContinuation<Void, Never>) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if pending.isEmpty && !writing { return true }
        waiters.append(c)
        condition.broadcast()  // ends a linger
        return false
    }

    private func loop() {
        while true {
            condition.lock()
            while pending.isEmpty && !closed { condition.wait() }
            if pending.isEmpty && closed {
                condition.unlock()
                return
            }
            if linger > 0 {
                let deadline = Date(timeIntervalSinceNow: linger)
                while waiters.isEmpty && !closed && pending.count < batchLimit && condition.wait(until: deadline) {}
            }
            let batch = pending
            pending.removeAll(keepingCapacity: true)
            writing = true
            // Wake producers waiting for room.
            condition.broadcast()
            condition.unlock()

            var error: StoreError?
            do { try store.apply(batch, run: run) } catch let e { error = e }

            condition.lock()
            writing = false
            if let error, failure == nil { failure = error }
            var resumed: [CheckedContinuation<Void, Never>] = []
            if pending.isEmpty {
                resumed = waiters
                waiters.removeAll()
            }
            condition.unlock()
            for c in resumed { c.resume() }
        }
    }
}
