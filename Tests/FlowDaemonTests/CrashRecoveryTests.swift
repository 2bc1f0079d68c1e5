import FlowCore
import FlowStore
import Foundation
import Glibc
import Testing

/// The real `flow daemon` binary (built by `swift test` next to the test bundle), killed with
/// SIGKILL in the middle of a step and started again.
@Suite("Crash recovery", .serialized)
struct CrashRecoveryTests {
    /// The `flow` executable SwiftPM built beside the test bundle.
    static var binary: String {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("flow").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/flow").path
    }

    /// A `flow daemon` process and its standard error, line by line.
    final class DaemonProcess: @unchecked Sendable {
        // @unchecked: `process` is set in init and only read after; the pipe's reader thread
        // writes nothing but the stream continuation, which is Sendable.
        let process = Process()
        let lines: AsyncStream<String>

        init(project: String) throws {
            process.executableURL = URL(fileURLWithPath: CrashRecoveryTests.binary)
            process.arguments = ["daemon", "-C", project, "--listen", "127.0.0.1:0", "--grace", "1s", "--log-level", "info"]
            var environment = ProcessInfo.processInfo.environment
            environment["FLOW_DB"] = nil
            environment["FLOW_KILL_GRACE"] = "1s"
            process.environment = environment
            let err = Pipe()
            process.standardError = err
            process.standardOutput = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            let (lines, sink) = AsyncStream<String>.makeStream()
            self.lines = lines
            let handle = err.fileHandleForReading
            Thread {
                var buffer = Data()
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    buffer.append(chunk)
                    while let newline = buffer.firstIndex(of: 0x0A) {
                        sink.yield(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
                        buffer.removeSubrange(buffer.startIndex...newline)
                    }
                }
                sink.finish()
            }.start()
            try process.run()
        }
    }

    /// Processes of group `group` that are alive (not zombies), from /proc.
    static func liveMembers(ofGroup group: pid_t) -> [pid_t] {
        let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { pid_t($0) }
        return pids.filter { pid in
            guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = text.lastIndex(of: ")") else {
                return false
            }
            let fields = text[text.index(after: close)...].split(separator: " ")
            return fields.count > 2 && fields[0] != "Z" && pid_t(fields[2]) == group
        }
    }

    @Test("kill -9 mid-step: the restarted daemon kills the step's process group, records the run interrupted, loses nothing")
    func killNine() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "flow binary not built at \(Self.binary)")
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
        let first = try DaemonProcess(project: project.root)
        guard let written = readFIFO(fifo, seconds: 60), let group = pid_t(written.trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            first.process.terminate()
            Issue.record("the step never started")
            return
        }
        #expect(!Self.liveMembers(ofGroup: group).isEmpty)
        // What is recorded at the moment of the crash must survive it unchanged. The step's
        // start reaches the database a few milliseconds after the step does: wait for it there.
        let runID = try #require(try sqlite(project.databasePath, "SELECT id FROM runs WHERE workflow = 'crashy'").first?[0])
        let started = try await recorded(within: .seconds(10)) {
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
        kill(first.process.processIdentifier, SIGKILL)
        first.process.waitUntilExit()
        #expect(first.process.terminationReason == .uncaughtSignal)
        #expect(!Self.liveMembers(ofGroup: group).isEmpty)  // the step outlived the daemon

        // Stop the schedule so the second life fires nothing, then start again.
        try project.write("Workflows/crashy.yaml", workflow.replacingOccurrences(of: "  cron:", with: "  paused: true\n  cron:"))
        let second = try DaemonProcess(project: project.root)
        let recovered = await firstLine(second.lines) { $0.contains("recovered run") && $0.contains(runID) }
        #expect(recovered != nil)
        #expect(Self.liveMembers(ofGroup: group).isEmpty)
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
        second.process.terminate()
        second.process.waitUntilExit()
        #expect(second.process.terminationStatus == 0)
    }

    /// Re-reads the database until `condition` holds (true) or `limit` passes (false): waiting on
    /// the recorded state, which another process writes, at 20 ms steps.
    func recorded(within limit: Duration, _ condition: () throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if try condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try condition()
    }

    func firstLine(_ lines: AsyncStream<String>, where predicate: @escaping @Sendable (String) -> Bool) async -> String? {
        await first(lines, within: .seconds(60), where: predicate)
    }
}
