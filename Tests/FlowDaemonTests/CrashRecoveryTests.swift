import FlowCore
import FlowStore
import Foundation
import Glibc
import Testing

/// The real `flow daemon` binary (built by `swift test` next to the test bundle), killed with
/// SIGKILL in the middle of a step and started again.
@Suite("Crash recovery", .serialized)
struct CrashRecoveryTests {
    @Test("kill -9 mid-step: the restarted daemon kills the step's process group, records the run interrupted, loses nothing")
    func killNine() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: DaemonProcess.binary), "flow binary not built at \(DaemonProcess.binary)")
        let project = try TempProject()
        let fifo = project.makeFIFO("step.fifo")
        // `first` finishes before `block` starts; `block` logs a line, starts a child, then
        // tells the test its process group (its shell's pid) through the FIFO and waits.
        let workflow = """
            name: crashy
            schedule:
              cron: "*/1 * * * * *"
            steps:
              first:
                run: echo first done
              block:
                needs: [first]
                run: |
                  echo about to block
                  sleep 300 &
                  echo $$ > \(fifo)
                  wait
            """
        try project.write("Workflows/crashy.yaml", workflow)
        let firstLife = try DaemonProcess(project: project.root, grace: "1s")
        guard let written = readFIFO(fifo, seconds: 60), let group = pid_t(written.trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            firstLife.process.terminate()
            Issue.record("the step never started")
            return
        }
        #expect(!liveMembers(ofGroup: group).isEmpty)
        // What is recorded at the moment of the crash must survive it unchanged. The step's
        // start reaches the database a few milliseconds after the step does: wait for it there.
        let runID = try #require(try sqlite(project.databasePath, "SELECT id FROM runs WHERE workflow = 'crashy'").first?[0])
        let started = try await eventually(within: .seconds(10)) {
            try sqlite(project.databasePath, "SELECT status FROM step_runs WHERE run_id = '\(runID)' AND step_id = 'block'") == [
                ["running"]
            ]
        }
        #expect(started)
        let logsQuery = "SELECT seq, step_id, attempt, stream, time, line FROM logs WHERE run_id = '\(runID)' ORDER BY seq"
        let finishedStepsQuery = """
            SELECT step_id, status, attempts, exit_code, started_at, finished_at FROM step_runs
            WHERE run_id = '\(runID)' AND status NOT IN ('pending', 'running') ORDER BY position
            """
        let runQuery = "SELECT id, workflow, trigger, scheduled_for, schedule_key, workspace, created_at FROM runs WHERE id = '\(runID)'"
        let logsBefore = try sqlite(project.databasePath, logsQuery)
        let stepsBefore = try sqlite(project.databasePath, finishedStepsQuery)
        let runBefore = try sqlite(project.databasePath, runQuery)
        kill(firstLife.process.processIdentifier, SIGKILL)
        firstLife.process.waitUntilExit()
        #expect(firstLife.process.terminationReason == .uncaughtSignal)
        #expect(!liveMembers(ofGroup: group).isEmpty)  // the step outlived the daemon

        // Stop the schedule so the second life fires nothing, then start again.
        try project.write("Workflows/crashy.yaml", workflow.replacingOccurrences(of: "  cron:", with: "  paused: true\n  cron:"))
        let secondLife = try DaemonProcess(project: project.root, grace: "1s")
        let recovered = await first(secondLife.lines, within: .seconds(60)) { $0.contains("recovered run") && $0.contains(runID) }
        #expect(recovered != nil)
        #expect(liveMembers(ofGroup: group).isEmpty)
        let row = try #require(try sqlite(project.databasePath, "SELECT status, reason FROM runs WHERE id = '\(runID)'").first)
        #expect(row[0] == "interrupted")
        #expect(row[1].contains("is gone"))
        #expect(try sqlite(project.databasePath, logsQuery) == logsBefore)
        #expect(try sqlite(project.databasePath, runQuery) == runBefore)
        let stepsAfter = try sqlite(project.databasePath, finishedStepsQuery)
        #expect(Array(stepsAfter.prefix(stepsBefore.count)) == stepsBefore)
        // `block` was running: it is interrupted now, and `first` (which it needs) succeeded.
        let statuses = try sqlite(project.databasePath, "SELECT step_id, status FROM step_runs WHERE run_id = '\(runID)' ORDER BY position")
        #expect(statuses == [["first", "succeeded"], ["block", "interrupted"]])
        #expect(logsBefore.allSatisfy { ["first", "block"].contains($0[1]) })
        #expect(try sqlite(project.databasePath, "PRAGMA integrity_check") == [["ok"]])

        // SIGTERM: a clean stop.
        secondLife.process.terminate()
        secondLife.process.waitUntilExit()
        #expect(secondLife.process.terminationStatus == 0)
    }
}
