public import FlowCore
public import FlowEngine
public import Foundation

/// What the scheduler asks of the rest of the daemon: record runs, execute them, and record
/// those that never start. FlowDaemon implements it over FlowRuntime and FlowStore; tests use
/// an in-memory fake.
public protocol RunDispatching: Sendable {
    /// Records a run of `schedule`'s workflow for fire time `scheduledFor` with status `queued`
    /// (trigger `schedule`, `scheduled_for` and `schedule_key` set).
    /// - Throws: `DispatchError` — `.conflict` when that fire time has a run already.
    func record(_ schedule: ScheduleID, scheduledFor: Date) async throws(DispatchError) -> RunID

    /// Executes a recorded queued run to its end, recording everything, and returns its final
    /// status. Cancellation comes through `control`.
    func execute(_ run: ActiveRun, control: RunControl) async -> RunStatus

    /// Records a queued run as cancelled without starting it (overlap `cancel-previous`, or a
    /// cancel request).
    func recordCancelled(_ run: RunID, reason: String) async

    /// Records a queued run as interrupted without starting it (the daemon is stopping), so
    /// that `flow retry` can start it later.
    func recordAbandoned(_ run: RunID, reason: String) async
}

/// Where the scheduler keeps its watermarks between restarts.
public protocol ScheduleStateStoring: Sendable {
    /// Every persisted state.
    /// - Throws: when the store cannot be read (the scheduler does not start).
    func loadStates() async throws -> [ScheduleID: ScheduleState]

    /// Persists `states` (inserting or replacing), all at once.
    /// - Throws: when the store cannot be written (the scheduler logs it and saves again
    ///   with the next change).
    func saveStates(_ states: [ScheduleID: ScheduleState]) async throws

    /// Deletes the states of schedules that were removed from their workflows (a schedule
    /// added again later starts afresh instead of catching up).
    /// - Throws: when the store cannot be written (logged; the rows stay).
    func removeStates(_ schedules: Set<ScheduleID>) async throws
}
