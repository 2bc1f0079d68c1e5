import FlowCore
import FlowScheduler
import Foundation
import Testing

@Suite("Schedules of a workflow")
struct ScheduleTests {
    func workflow(_ specs: [ScheduleSpec]) -> Workflow {
        Workflow(name: "report", schedules: specs, steps: [])
    }

    @Test("one schedule per distinct expression and zone; the first entry of a duplicate wins")
    func distinctKeys() throws {
        let schedules = try Schedule.schedules(
            of: workflow([
                ScheduleSpec(cron: Located("0 9 * * MON-FRI"), timezone: "Europe/Paris"),
                ScheduleSpec(cron: Located("0 11 * * SAT,SUN"), timezone: "Europe/Paris", paused: true),
                ScheduleSpec(cron: Located("0 9 * * MON-FRI"), timezone: "Europe/Paris", overlap: .allow),
                ScheduleSpec(cron: Located("0 9 * * MON-FRI"), timezone: "Asia/Tokyo"),
            ]))
        #expect(schedules.map(\.id.key) == ["0 9 * * MON-FRI Europe/Paris", "0 11 * * SAT,SUN Europe/Paris", "0 9 * * MON-FRI Asia/Tokyo"])
        #expect(schedules.map(\.overlap) == [.skip, .skip, .skip])
        #expect(schedules.map(\.paused) == [false, true, false])
        #expect(schedules.allSatisfy { $0.id.workflow == "report" })
    }

    @Test("a workflow's schedules fire independently, each recorded under its own key")
    func severalFire() throws {
        let schedules = try Schedule.schedules(
            of: workflow([
                ScheduleSpec(cron: Located("0 9 * * *"), timezone: "UTC"),
                ScheduleSpec(cron: Located("0 9 * * *"), timezone: "Asia/Kolkata"),
            ]))
        // 09:00 in Kolkata (UTC+5:30) is 03:30Z; 09:00 UTC is 09:00Z.
        var states: [ScheduleID: ScheduleState] = [:]
        for s in schedules { states[s.id] = ScheduleState(handledThrough: at("2026-01-01T00:00:00Z")) }
        let plan = TickPlanner().plan(schedules: schedules, states: states, active: [], now: at("2026-01-01T09:00:00Z"))
        let fires = plan.fires.map { "\($0.schedule.key) \($0.scheduledFor.formatted(.iso8601))" }.sorted()
        #expect(fires == ["0 9 * * * Asia/Kolkata 2026-01-01T03:30:00Z", "0 9 * * * UTC 2026-01-01T09:00:00Z"])
        // Kolkata's was missed (5.5 h late) and ran by catchup latest; both start (different keys).
        #expect(plan.starts.count == 2)
    }
}
