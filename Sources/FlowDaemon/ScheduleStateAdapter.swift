import FlowCore
import FlowScheduler
import FlowStore
import Foundation

/// The scheduler's watermarks in the run database (`schedule_state`).
struct ScheduleStateAdapter: ScheduleStateStoring {
    let store: ScheduleStateStore
    let now: @Sendable () -> Date

    func loadStates() async throws -> [ScheduleID: ScheduleState] {
        var states: [ScheduleID: ScheduleState] = [:]
        for r in try store.scheduleStates() {
            states[ScheduleID(workflow: r.workflow, key: r.scheduleKey)] = ScheduleState(
                handledThrough: r.handledThrough, lastFireTime: r.lastFireTime, paused: r.paused)
        }
        return states
    }

    func saveStates(_ states: [ScheduleID: ScheduleState]) async throws {
        let at = now()
        try store.recordScheduleStates(
            states.sorted { $0.key < $1.key }.map { id, s in
                ScheduleStateRecord(
                    workflow: id.workflow, scheduleKey: id.key, handledThrough: s.handledThrough, lastFireTime: s.lastFireTime,
                    paused: s.paused, updatedAt: at)
            })
    }

    func removeStates(_ schedules: Set<ScheduleID>) async throws {
        try store.removeScheduleStates(schedules.sorted().map { ($0.workflow, $0.key) })
    }
}
