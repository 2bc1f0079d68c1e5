public import FlowCore
import Foundation

/// Writes one run's events to the database in batches: a writer thread takes everything
/// queued since its last transaction and applies it in one transaction (group commit), so
/// recording costs a few transactions per burst of steps instead of one per event.
/// `handle` never blocks on the database.
public final class RunRecorder: RunObserver, @unchecked Sendable {
    // Safety of @unchecked Sendable: every mutable field below is read and written only while
    // holding `condition`'s lock; `store` and `run` are immutable and Sendable.
    private let store: RunStore
    private let run: RunID
    private let condition = NSCondition()
    /// Most events queued before `handle` waits for the writer.
    private let maxPending: Int
    private var pending: [RunEvent] = []
    private var writing = false
    private var closed = false
    private var failure: StoreError?
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var thread: Thread?

    /// Starts the writer thread for `run`, whose row must exist (`RunStore.createRun`).
    public init(store: RunStore, run: RunID, maxPending: Int = 16_384) {
        self.store = store
        self.run = run
        self.maxPending = max(1, maxPending)
        let thread = Thread { [self] in self.loop() }
        thread.name = "flow-recorder"
        self.thread = thread
        thread.start()
    }

    public func handle(_ event: RunEvent) {
        condition.lock()
        while pending.count >= maxPending && failure == nil { condition.wait() }
        pending.append(event)
        condition.broadcast()
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
