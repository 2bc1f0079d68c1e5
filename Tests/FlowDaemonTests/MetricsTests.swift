import FlowCore
import FlowScheduler
import Foundation
import Testing

@testable import FlowDaemon

/// `/metrics` content: names, labels and values, and `promtool check metrics` (Debian's
/// prometheus package) on the whole exposition.
@Suite("Metrics")
struct MetricsTests {
    static let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let ci = ProcessInfo.processInfo.environment["CI"] == "true"

    func populated() -> DaemonMetrics {
        let metrics = DaemonMetrics()
        let a = ScheduleID(workflow: "nightly", key: "0 3 * * * Europe/London")
        let b = ScheduleID(workflow: "tick", key: "*/1 * * * * * UTC")
        metrics.observe {
            SchedulerSnapshot(
                nextFires: [a: Date(timeIntervalSince1970: 1_767_236_400), b: Date(timeIntervalSince1970: 1_767_225_601)],
                active: [
                    ActiveRun(id: "r1", workflow: "nightly", phase: .running), ActiveRun(id: "r2", workflow: "tick"),
                    ActiveRun(id: "r3", workflow: "tick"),
                ])
        }
        metrics.runFinished("nightly", .succeeded)
        metrics.runFinished("nightly", .succeeded)
        metrics.runFinished("nightly", .failed)
        metrics.stepFinished("nightly", step: "build", duration: .milliseconds(300))
        metrics.scheduledRunStarted("tick", lag: .milliseconds(7))
        metrics.reloadFailed()
        return metrics
    }

    @Test("the exposition has every documented metric with its labels and values")
    func content() {
        let text = String(decoding: populated().exposition(), as: UTF8.self)
        let lines = Set(text.split(separator: "\n").map(String.init))
        // Values by hand: two succeeded and one failed run; one running and two queued; next
        // fire 2026-01-01T03:00:00Z = 1767236400 s; a 0.3 s step falls in the 0.5 s bucket and
        // not the 0.1 s one; a 7 ms lag in the 0.01 s bucket.
        for expected in [
            #"flow_runs_total{workflow="nightly",status="succeeded"} 2"#,
            #"flow_runs_total{workflow="nightly",status="failed"} 1"#,
            "flow_runs_running 1.0", "flow_runs_queued 2.0", "flow_reload_errors_total 1",
            #"flow_next_fire_timestamp_seconds{workflow="nightly",schedule="0 3 * * * Europe/London"} 1767236400.0"#,
            #"flow_step_duration_seconds_bucket{workflow="nightly",step="build",le="0.1"} 0"#,
            #"flow_step_duration_seconds_bucket{workflow="nightly",step="build",le="0.5"} 1"#,
            #"flow_step_duration_seconds_count{workflow="nightly",step="build"} 1"#,
            #"flow_scheduler_lag_seconds_bucket{workflow="tick",le="0.005"} 0"#,
            #"flow_scheduler_lag_seconds_bucket{workflow="tick",le="0.01"} 1"#,
            "# TYPE flow_step_duration_seconds histogram", "# TYPE flow_runs_total counter",
        ] {
            #expect(lines.contains(expected), "missing: \(expected)\n\(text)")
        }
    }

    @Test("promtool check metrics accepts the exposition (required in CI)", .enabled(if: promtool != nil || ci))
    func promtoolAccepts() throws {
        let promtool = try #require(Self.promtool, "promtool is missing: apt-get install prometheus (scripts/ci/apt-packages.txt)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: promtool)
        process.arguments = ["check", "metrics"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(populated().exposition()))
        try input.fileHandleForWriting.close()
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "promtool: \(said)")
    }
}
