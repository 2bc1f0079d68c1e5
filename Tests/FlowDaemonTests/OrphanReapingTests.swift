import Foundation
import Glibc
import Testing

/// Orphaned grandchildren of steps are reaped by the real `flow daemon` binary, as PID 1 of a
/// PID namespace (as in a container, where every orphan of the container comes to it) and as a
/// plain process (where `PR_SET_CHILD_SUBREAPER` brings its steps' orphans to it).
@Suite("Orphan reaping", .serialized)
struct OrphanReapingTests {
    /// How the daemon is started.
    enum Launch: String, CaseIterable, CustomTestStringConvertible {
        /// `unshare --fork --pid --mount-proc` (util-linux; needs root, as in CI): the daemon is
        /// PID 1 of a new PID namespace with its own /proc.
        case pidOne
        /// A child of the test process.
        case subreaper

        var testDescription: String { rawValue }

        var launcher: [String] {
            switch self {
            case .pidOne: ["/usr/bin/unshare", "--fork", "--pid", "--mount-proc", "--kill-child"]
            case .subreaper: []
            }
        }
    }

    @Test("orphans of a step are reaped when they exit, during the step and after it; no zombie is left", arguments: Launch.allCases)
    func orphans(_ launch: Launch) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: DaemonProcess.binary), "flow binary not built at \(DaemonProcess.binary)")
        let project = try TempProject()
        // /proc names a process after the file it executed, so links give the orphans names to
        // find them by.
        let inGroup = project.root + "/flow-orphan-a", escaped = project.root + "/flow-orphan-b"
        #expect(symlink("/bin/sleep", inGroup) == 0)
        #expect(symlink("/bin/sh", escaped) == 0)
        let started = project.makeFIFO("started.fifo")
        let release = project.makeFIFO("release.fifo")
        // Both orphans are double-forked (their parent subshell exits at once):
        // - `flow-orphan-a` stays in the step's process group; when the step's shell exits, the
        //   group is killed and the orphan must be reaped before the step counts as finished;
        // - `flow-orphan-b` leaves it (`setsid`), outlives the step, and exits when the test
        //   writes to `release.fifo` — long after its step was recorded.
        try project.write(
            "Workflows/orphans.yaml",
            """
            name: orphans
            steps:
              spawn:
                run: |
                  (\(inGroup) 300 &)
                  (setsid \(escaped) -c 'read line < \(release)' &)
                  echo started > \(started)
            """)
        let daemon = try DaemonProcess(
            project: project.root, grace: "5s", launcher: launch.launcher, environment: ["FLOW_TOKEN": "t0ken"])
        defer { if daemon.process.isRunning { kill(daemon.process.processIdentifier, SIGKILL) } }
        let port = try #require(await daemon.port(), "the daemon did not start listening (\(launch))")
        let daemonPID = try #require(Self.daemonPID(daemon, launch))
        if launch == .pidOne {
            // NSpid (proc(5)): the pid in each namespace, outermost first; the last is 1.
            #expect(Self.status(daemonPID, "NSpid")?.split(separator: "\t").last == "1")
        }

        let (status, body, _) = try await http("POST", "http://127.0.0.1:\(port)/api/v1/workflows/orphans/runs", token: "t0ken")
        #expect(status == 202)
        let runID = try #require((body["run"] as? [String: Any])?["id"] as? String)
        #expect(readFIFO(started, seconds: 60) == "started\n")
        let runStatus = "SELECT status FROM runs WHERE id = '\(runID)'"
        #expect(try await eventually(within: .seconds(60)) { try sqlite(project.databasePath, runStatus) == [["succeeded"]] })

        // The step has finished: the orphan in its group is gone, zombie or not.
        #expect(Self.processes(named: "flow-orphan-a").isEmpty)
        // The escaped orphan lives on, adopted by the daemon.
        let adopted = Self.processes(named: "flow-orphan-b")
        #expect(adopted.count == 1)
        #expect(adopted.first?.parent == daemonPID)
        #expect(adopted.first?.state != "Z")

        // Let it exit; the daemon must reap it (a zombie would stay in /proc with state Z).
        let writer = try #require(FileHandle(forWritingAtPath: release))
        writer.write(Data("go\n".utf8))
        try writer.close()
        let reaped = await eventually(within: .seconds(30)) { Self.processes(named: "flow-orphan-b").isEmpty }
        #expect(reaped, "left: \(Self.processes(named: "flow-orphan-b"))")
        #expect(ProcStat.all().filter { $0.parent == daemonPID && $0.state == "Z" }.isEmpty)

        // As PID 1 too, SIGTERM stops the daemon cleanly (the kernel drops signals to a
        // namespace's init that has no handler).
        kill(daemonPID, SIGTERM)
        #expect(await daemon.exited(within: .seconds(60)))
        #expect(daemon.process.terminationReason == .exit && daemon.process.terminationStatus == 0)
    }

    /// The daemon's pid as this test sees it: the child of `unshare`, or the process started.
    static func daemonPID(_ daemon: DaemonProcess, _ launch: Launch) -> pid_t? {
        let pid = daemon.process.processIdentifier
        guard launch == .pidOne else { return pid }
        let children = try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)
        return children?.split(separator: " ").first.flatMap { pid_t($0) }
    }

    /// A field of `/proc/<pid>/status`, without its name.
    static func status(_ pid: pid_t, _ key: String) -> Substring? {
        let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        return text?.split(separator: "\n").first { $0.hasPrefix(key + ":") }?.dropFirst(key.count + 1).drop { $0 == "\t" || $0 == " " }
    }

    static func processes(named command: String) -> [ProcStat] {
        ProcStat.all().filter { $0.command == command }
    }
}
