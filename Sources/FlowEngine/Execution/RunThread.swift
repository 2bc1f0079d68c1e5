import Foundation

/// A task executor (SE-0417 `TaskExecutor`) with one thread of its own, on which the engine
/// keeps a run's bookkeeping: deciding what is ready, starting processes, collecting their
/// ends, and telling observers.
///
/// Why: on the global concurrent executor every hop between the tasks of a step (start,
/// process supervision, the engine's task group) may land on another worker thread, and each
/// hop that finds a worker asleep costs a futex wake and a context switch — about seven per
/// step for a `true` step. On one thread these hops are queue pushes; only the event loop
/// (a process exited) and the retry clock wake it. Work that may be long or CPU-bound —
/// built-in step kinds — is sent back to the global executor (`SystemAttemptRunner`).
///
/// Jobs run in the order they were enqueued (FIFO; priorities are not reordered). The thread
/// ends after `shutdown()` once the queue is empty; a job enqueued after that (a task that
/// outlived the run) goes to the global concurrent executor.
public final class RunThread: TaskExecutor, @unchecked Sendable {
    // Safety of @unchecked Sendable: `jobs`, `sleeping` and `stopping` are only touched while
    // holding `condition`'s lock.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var sleeping = false
    private var stopping = false
    /// The thread has ended; late jobs go to the global executor.
    private var finished = false

    /// Starts the thread, named `name` in `ps -L` and profilers (at most 15 bytes are kept).
    public init(name: String = "flow-run") {
        let thread = Thread { [self] in self.loop() }
        thread.name = name
        thread.start()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        if finished {
            // A task that outlived its run (an unstructured task inherits the preference).
            condition.unlock()
            globalConcurrentExecutor.enqueue(ExecutorJob(job))
            return
        }
        jobs.append(job)
        let wake = sleeping
        condition.unlock()
        if wake { condition.signal() }
    }

    /// Lets the thread end once every job enqueued so far has run.
    public func shutdown() {
        condition.lock()
        stopping = true
        condition.unlock()
        condition.signal()
    }

    private func loop() {
        var batch: [UnownedJob] = []
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping {
                sleeping = true
                condition.wait()
                sleeping = false
            }
            if jobs.isEmpty {
                finished = true
                condition.unlock()
                return
            }
            swap(&batch, &jobs)
            condition.unlock()
            let executor = asUnownedTaskExecutor()
            for job in batch { job.runSynchronously(on: executor) }
            batch.removeAll(keepingCapacity: true)
        }
    }
}
