import FlowCore
import FlowStore
import Foundation
import Testing

@Suite("Run database")
struct RunStoreTests {
    let folder = NSTemporaryDirectory() + "flow-store-\(UUID())"
    var path: String { folder + "/flow.db" }
    let t0 = Date(timeIntervalSince1970: 1_798_761_599)  // 2026-12-31T23:59:59Z (date -u -d @1798761599)

    func makeRun(_ id: RunID, scheduledFor: Date? = nil) -> Run {
        Run(
            id: id, workflow: "nightly", workflowFile: "Workflows/nightly.yaml", trigger: scheduledFor == nil ? .manual : .schedule,
            status: .queued, params: ["source": "https://example.org"], scheduledFor: scheduledFor,
            scheduleKey: scheduledFor == nil ? nil : "0 0 * * * UTC", workspace: "/tmp/ws", createdAt: t0)
    }

    @Test("a run's events are recorded and read back as written")
    func roundTrip() throws {
        let store = try RunStore(path: path)
        try store.createRun(makeRun("r1"), steps: ["a", "b"])
        let invalidUTF8: [UInt8] = [0x66, 0xFF, 0xFE, 0x6F]
        try store.apply(
            [
                .runStarted("r1", at: t0),
                .stepStarted("a", attempt: 1, pid: 4242, at: t0),
                .stepOutput("a", attempt: 1, stream: .stdout, bytes: invalidUTF8, continued: false, at: t0),
                .stepOutput("a", attempt: 1, stream: .stderr, bytes: Array("warn".utf8), continued: false, at: t0),
                .attemptFinished("a", attempt: 1, outcome: .failed(exitCode: 2, signal: nil, reason: nil), willRetry: true, at: t0),
                .stepStarted("a", attempt: 2, pid: 4243, at: t0),
                .attemptFinished("a", attempt: 2, outcome: .succeeded, willRetry: false, at: t0.addingTimeInterval(1.5)),
                .stepFinished(
                    "a", outcome: .succeeded, tolerated: false, outputs: ["digest": "sha256:1"], attempts: 2, at: t0.addingTimeInterval(1.5)
                ),
                .stepFinished("b", outcome: .skipped(reason: "if: false"), tolerated: false, outputs: [:], attempts: 0, at: t0),
                .runFinished("r1", status: .succeeded, at: t0.addingTimeInterval(2)),
            ], run: "r1")

        let run = try #require(try store.run("r1"))
        #expect(run.status == .succeeded)
        #expect(run.params == ["source": "https://example.org"])
        #expect(run.finishedAt == t0.addingTimeInterval(2))
        let steps = try store.stepRuns("r1")
        #expect(steps.map(\.stepID) == ["a", "b"])
        #expect(steps[0].status == .succeeded && steps[0].attempts == 2 && steps[0].outputs == ["digest": "sha256:1"])
        #expect(steps[1].status == .skipped && steps[1].reason == "if: false")
        let attempts = try store.attempts("r1")
        #expect(attempts.map(\.number) == [1, 2])
        #expect(attempts[0].status == .failed && attempts[0].exitCode == 2 && attempts[0].pid == 4242)
        let logs = try store.logs("r1")
        #expect(logs.map(\.bytes) == [invalidUTF8, Array("warn".utf8)])
        #expect(logs.map(\.stream) == [.stdout, .stderr])
        #expect(try store.logs("r1", after: logs[0].sequence).count == 1)
    }

    @Test("a unique prefix finds a run; an ambiguous one does not")
    func prefix() throws {
        let store = try RunStore(path: path)
        try store.createRun(makeRun("20261231-235959-aaaaaa"), steps: [])
        try store.createRun(makeRun("20261231-235959-aabbbb"), steps: [])
        #expect(try store.run("20261231-235959-aab")?.id == "20261231-235959-aabbbb")
        #expect(try store.run("20261231-235959-aa") == nil)
    }

    @Test("the schema allows one run per schedule and fire time")
    func oneRunPerFireTime() throws {
        let store = try RunStore(path: path)
        try store.createRun(makeRun("r1", scheduledFor: t0), steps: [])
        #expect(throws: StoreError.self) { try store.createRun(makeRun("r2", scheduledFor: t0), steps: []) }
        try store.createRun(makeRun("r3", scheduledFor: t0.addingTimeInterval(86_400)), steps: [])
        #expect(try store.runs().count == 2)
    }

    @Test("an interrupted run closes its running step runs and attempts, once")
    func interrupted() throws {
        let store = try RunStore(path: path)
        try store.createRun(makeRun("r1"), steps: ["a", "b"])
        try store.apply([.runStarted("r1", at: t0), .stepStarted("a", attempt: 1, pid: 1, at: t0)], run: "r1")
        #expect(try store.recordRunInterrupted("r1", reason: "daemon died", at: t0))
        #expect(try !store.recordRunInterrupted("r1", reason: "again", at: t0))
        #expect(try store.run("r1")?.status == .interrupted)
        #expect(try store.stepRuns("r1").map(\.status) == [.interrupted, .pending])
        #expect(try store.attempts("r1").first?.status == .interrupted)
    }

    @Test("several writers on one file lose nothing")
    func concurrentWriters() async throws {
        let first = try RunStore(path: path)
        _ = first
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<4 {
                group.addTask {
                    let store = try RunStore(path: path)  // its own connection pool, as another process has
                    for i in 0..<50 {
                        let id = RunID("w\(w)-\(i)")
                        try store.createRun(makeRun(id), steps: ["s"])
                        try store.apply([.runStarted(id, at: t0), .runFinished(id, status: .succeeded, at: t0)], run: id)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try RunStore(path: path).runs(limit: 1000).count == 200)
    }

    @Test("several pools opening a new file at once all migrate it, once")
    func concurrentFirstOpen() async throws {
        // Each round is a fresh file opened by 6 pools at once, as when `flow run` starts in
        // several CI jobs on a new project; GRDB alone lets the losers fail "table … already exists".
        for round in 0..<25 {
            let file = folder + "/race-\(round).db"
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<6 { group.addTask { _ = try RunStore(path: file) } }
                try await group.waitForAll()
            }
            let store = try RunStore(path: file)
            try store.createRun(makeRun(RunID("r\(round)")), steps: ["s"])
            #expect(try store.runs(limit: 10).count == 1)
        }
    }

    @Test(
        "timestamps are ISO 8601 UTC with milliseconds",
        arguments: [
            // Expected text from `date -u -d @SECONDS +%FT%T`.
            (0.0, "1970-01-01T00:00:00.000Z"),
            (951_782_400.0, "2000-02-29T00:00:00.000Z"),
            (-1.0, "1969-12-31T23:59:59.000Z"),
            (1_798_761_599.25, "2026-12-31T23:59:59.250Z"),
            (4_102_444_800.0, "2100-01-01T00:00:00.000Z"),
        ])
    func timestamps(_ seconds: Double, _ text: String) {
        #expect(Timestamp.format(Date(timeIntervalSince1970: seconds)) == text)
        #expect(Timestamp.parse(text) == Date(timeIntervalSince1970: seconds))
    }
}
