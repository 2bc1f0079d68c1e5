import Foundation
import Glibc
import Testing

/// The real `flow daemon` binary stopped by signals while a real step runs.
@Suite("Stop signals", .serialized)
struct StopSignalTests {
    @Test(
        "the first signal lets the running step go on; a second one cancels it at once, recorded with the reason",
        arguments: [SIGTERM, SIGINT])
    func secondSignal(_ signal: Int32) async throws {
        let name = signal == SIGINT ? "SIGINT" : "SIGTERM"
        // A grace period of 10 minutes: only the second signal can end the step in time.
        let run = try await LongDaemonRun.start(grace: "10m")
        let (project, daemon, runID, group) = (run.project, run.daemon, run.runID, run.group)
        defer { if daemon.process.isRunning { kill(daemon.process.processIdentifier, SIGKILL) } }
        let runStatus = "SELECT status FROM runs WHERE id = '\(runID)'"

        kill(daemon.process.processIdentifier, signal)
        #expect(await first(daemon.lines, within: .seconds(60)) { $0.contains("stopping: no more fires") } != nil)
        // The daemon is stopping; the step goes on within its grace period.
        #expect(!liveMembers(ofGroup: group).isEmpty)
        #expect(try await eventually(within: .seconds(10)) { try sqlite(project.databasePath, runStatus) == [["running"]] })
        #expect(daemon.process.isRunning)

        kill(daemon.process.processIdentifier, signal)
        #expect(await first(daemon.lines, within: .seconds(60)) { $0.contains("\(name) again: cancelling the running steps now") } != nil)
        // Bounded far below the 10-minute grace period: the stop did not wait for it.
        #expect(await daemon.exited(within: .seconds(120)))
        #expect(daemon.process.terminationReason == .exit && daemon.process.terminationStatus == 0)
        #expect(liveMembers(ofGroup: group).isEmpty)
        let row = try sqlite(project.databasePath, "SELECT status, reason FROM runs WHERE id = '\(runID)'")
        #expect(row == [["cancelled", "the daemon was stopped by a second \(name) before its grace period ended"]])
        let step = try sqlite(project.databasePath, "SELECT status FROM step_runs WHERE run_id = '\(runID)' AND step_id = 'work'")
        #expect(step == [["cancelled"]])
    }
}

@Suite("flow cancel and the daemon", .serialized)
struct CancelDaemonRunTests {
    @Test("flow cancel of a run the daemon is running refuses (exit 69) instead of stopping the whole daemon")
    func cancelDaemonRun() async throws {
        let run = try await LongDaemonRun.start(grace: "1s")
        let (project, daemon, runID) = (run.project, run.daemon, run.runID)
        defer { if daemon.process.isRunning { kill(daemon.process.processIdentifier, SIGKILL) } }

        let cancel = Process()
        cancel.executableURL = URL(fileURLWithPath: DaemonProcess.binary)
        cancel.arguments = ["cancel", "-C", project.root, runID]
        let errors = Pipe()
        cancel.standardError = errors
        cancel.standardOutput = FileHandle.nullDevice
        try cancel.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        cancel.waitUntilExit()
        #expect(cancel.terminationStatus == 69)
        #expect(message.contains("cancel it through the daemon: flow cancel --daemon"), "\(message)")
        #expect(daemon.process.isRunning)
        #expect(try sqlite(project.databasePath, "SELECT status FROM runs WHERE id = '\(runID)'") == [["running"]])
        kill(daemon.process.processIdentifier, SIGTERM)
        kill(daemon.process.processIdentifier, SIGTERM)
        #expect(await daemon.exited(within: .seconds(120)))
    }
}

/// A real `flow daemon` running one run of `long`, whose step tells the test its process
/// group (its shell's pid) through a FIFO, then runs far longer than a test may take.
struct LongDaemonRun {
    let project: TempProject
    let daemon: DaemonProcess
    let runID: String
    let group: pid_t

    /// Starts the daemon with `grace`, triggers the run through the API and waits (on the
    /// FIFO) until its step runs. The caller kills the daemon if it is still running at the end.
    static func start(grace: String) async throws -> LongDaemonRun {
        try #require(FileManager.default.isExecutableFile(atPath: DaemonProcess.binary), "flow binary not built at \(DaemonProcess.binary)")
        let project = try TempProject()
        let fifo = project.makeFIFO("step.fifo")
        try project.write(
            "Workflows/long.yaml",
            """
            name: long
            steps:
              work:
                run: |
                  echo $$ > \(fifo)
                  sleep 300
            """)
        let daemon = try DaemonProcess(project: project.root, grace: grace, environment: ["FLOW_TOKEN": "t0ken"])
        do {
            let port = try #require(await daemon.port(), "the daemon did not start listening")
            let (status, body, _) = try await http("POST", "http://127.0.0.1:\(port)/api/v1/workflows/long/runs", token: "t0ken")
            #expect(status == 202)
            let runID = try #require((body["run"] as? [String: Any])?["id"] as? String)
            let written = try #require(readFIFO(fifo, seconds: 60), "the step never started")
            let group = try #require(pid_t(written.trimmingCharacters(in: .whitespacesAndNewlines)))
            return LongDaemonRun(project: project, daemon: daemon, runID: runID, group: group)
        } catch {
            kill(daemon.process.processIdentifier, SIGKILL)
            throw error
        }
    }
}
