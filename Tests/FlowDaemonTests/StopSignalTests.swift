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
        try #require(FileManager.default.isExecutableFile(atPath: DaemonProcess.binary), "flow binary not built at \(DaemonProcess.binary)")
        let name = signal == SIGINT ? "SIGINT" : "SIGTERM"
        let project = try TempProject()
        let fifo = project.makeFIFO("step.fifo")
        // The step tells the test its process group (its shell's pid), then runs far longer
        // than the test may take.
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
        // A grace period of 10 minutes: only the second signal can end the step in time.
        let daemon = try DaemonProcess(project: project.root, grace: "10m", environment: ["FLOW_TOKEN": "t0ken"])
        defer { if daemon.process.isRunning { kill(daemon.process.processIdentifier, SIGKILL) } }
        let port = try #require(await daemon.port(), "the daemon did not start listening")
        let (status, body, _) = try await http("POST", "http://127.0.0.1:\(port)/api/v1/workflows/long/runs", token: "t0ken")
        #expect(status == 202)
        let runID = try #require((body["run"] as? [String: Any])?["id"] as? String)
        let written = try #require(readFIFO(fifo, seconds: 60), "the step never started")
        let group = try #require(pid_t(written.trimmingCharacters(in: .whitespacesAndNewlines)))
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
                  echo started > \(fifo)
                  sleep 300
            """)
        let daemon = try DaemonProcess(project: project.root, grace: "1s", environment: ["FLOW_TOKEN": "t0ken"])
        defer { if daemon.process.isRunning { kill(daemon.process.processIdentifier, SIGKILL) } }
        let port = try #require(await daemon.port(), "the daemon did not start listening")
        let (status, body, _) = try await http("POST", "http://127.0.0.1:\(port)/api/v1/workflows/long/runs", token: "t0ken")
        #expect(status == 202)
        let runID = try #require((body["run"] as? [String: Any])?["id"] as? String)
        #expect(readFIFO(fifo, seconds: 60) == "started\n")

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
