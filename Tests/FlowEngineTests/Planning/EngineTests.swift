import FlowCore
import FlowEngine
import FlowTesting
import Foundation
import Testing

/// The engine's planning and control flow, with scripted attempts (no processes).
@Suite("Engine plans and runs DAGs")
struct EngineTests {
    typealias B = WorkflowBuilder

    func run(
        _ workflow: Workflow, scripts: [StepID: ScriptedAttemptRunner.Script] = [:], clock: ManualClock = ManualClock(),
        reused: [StepID: (outcome: StepOutcome, outputs: [String: String])] = [:], params: [String: ExpressionValue] = [:]
    ) async -> (RunStatus, RecordingObserver, ScriptedAttemptRunner) {
        let runner = ScriptedAttemptRunner(scripts)
        let engine = Engine(runner: runner, clock: clock, defaultConcurrency: 4)
        let observer = RecordingObserver()
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("flow-engine-\(UUID())").path
        let request = RunRequest(id: "r1", workflow: workflow, params: params, workspace: workspace, baseDirectory: "/", reused: reused)
        let status = await engine.run(request, observer: observer)
        return (status, observer, runner)
    }

    @Test("a diamond runs each step once, each after what it needs")
    func diamond() async {
        let w = B.workflow([
            B.step("a"), B.step("b", needs: ["a"]), B.step("c", needs: ["a"]), B.step("d", needs: ["b", "c"]),
        ])
        let (status, observer, _) = await run(w)
        #expect(status == .succeeded)
        let order = observer.startOrder
        #expect(order.count == 4)
        #expect(order.first == "a" && order.last == "d")
        #expect(Set(order[1...2]) == ["b", "c"])
        #expect(observer.outcomes.values.allSatisfy { $0 == .succeeded })
    }

    @Test("a failed step skips what needs it and fails the run; independent branches still run")
    func failureSkips() async {
        let w = B.workflow([
            B.step("a"), B.step("b", needs: ["a"]), B.step("c", needs: ["b"]), B.step("x"),
        ])
        let (status, observer, _) = await run(w, scripts: ["b": .init([.failed(exitCode: 3, signal: nil, reason: nil)])])
        #expect(status == .failed)
        #expect(observer.outcomes["b"] == .failed(exitCode: 3, signal: nil, reason: nil))
        #expect(observer.outcomes["c"] == .skipped(reason: "a step it needs did not succeed"))
        #expect(observer.outcomes["x"] == .succeeded)
    }

    @Test("failure() and always() steps run after a failure; success() steps do not")
    func statusFunctions() async {
        let w = B.workflow([
            B.step("a"),
            B.step("notify", needs: ["a"], if: "${{ failure() }}"),
            B.step("cleanup", needs: ["a"], if: "always()"),
            B.step("next", needs: ["a"], if: "success()"),
        ])
        let (status, observer, _) = await run(w, scripts: ["a": .init([.failed(exitCode: 1, signal: nil, reason: nil)])])
        #expect(status == .failed)
        #expect(observer.outcomes["notify"] == .succeeded)
        #expect(observer.outcomes["cleanup"] == .succeeded)
        #expect(observer.outcomes["next"]?.status == .skipped)
    }

    @Test("a step that opted in after a skip and succeeded releases the steps that need it")
    func optInAfterSkip() async {
        let w = B.workflow([
            B.step("tests", if: "false"),
            B.step("image", needs: ["tests"], if: "${{ !failure() && !cancelled() }}"),
            B.step("push", needs: ["image"]),
            B.step("later", needs: ["tests"]),
        ])
        let (status, observer, _) = await run(w)
        #expect(status == .succeeded)
        #expect(observer.outcomes["tests"]?.status == .skipped)
        #expect(observer.outcomes["image"] == .succeeded)
        #expect(observer.outcomes["push"] == .succeeded)
        #expect(observer.outcomes["later"] == .skipped(reason: "a step it needs did not succeed"))
    }

    @Test("after a failure, default steps stay skipped even past a step that ran with always()")
    func failureStillPropagates() async {
        let w = B.workflow([
            B.step("a"), B.step("cleanup", needs: ["a"], if: "always()"), B.step("next", needs: ["cleanup"]),
        ])
        let (_, observer, _) = await run(w, scripts: ["a": .init([.failed(exitCode: 1, signal: nil, reason: nil)])])
        #expect(observer.outcomes["cleanup"] == .succeeded)
        #expect(observer.outcomes["next"]?.status == .skipped)
    }

    @Test("continue-on-error lets dependents run and the run succeed")
    func continueOnError() async {
        let w = B.workflow([B.step("a", continueOnError: true), B.step("b", needs: ["a"])])
        let (status, observer, _) = await run(w, scripts: ["a": .init([.failed(exitCode: 2, signal: nil, reason: nil)])])
        #expect(status == .succeeded)
        #expect(observer.outcomes["b"] == .succeeded)
        let tolerated = observer.events.contains { if case .stepFinished("a", _, true, _, _, _) = $0 { return true } else { return false } }
        #expect(tolerated)
    }

    @Test("retries with exponential backoff until an attempt succeeds")
    func retries() async {
        let clock = ManualClock()
        let w = B.workflow([
            B.step("flaky", retry: RetryPolicy(attempts: 4, backoff: .exponential, delay: .seconds(10), maxDelay: .seconds(15)))
        ])
        let failed = StepOutcome.failed(exitCode: 1, signal: nil, reason: nil)
        let task = Task { await run(w, scripts: ["flaky": .init([failed, failed, .succeeded])], clock: clock) }
        // Backoff: 10 s after attempt 1, then 20 s capped at max_delay 15 s after attempt 2.
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(9))
        clock.advance(by: .seconds(1))
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(15))
        let (status, observer, _) = await task.value
        #expect(status == .succeeded)
        #expect(observer.attempts["flaky"] == 3)
        #expect(clock.now.offset == .seconds(25))
        let retried = observer.events.filter { if case .attemptFinished(_, _, _, true, _) = $0 { return true } else { return false } }
        #expect(retried.count == 2)
    }

    @Test(
        "the delay between attempts follows the policy",
        arguments: [
            // (backoff, delay s, max s, attempt → expected wait s), by hand from the definition.
            (RetryPolicy.Backoff.fixed, 5, nil, 3, 5),
            (.exponential, 5, nil, 1, 5),
            (.exponential, 5, nil, 3, 20),
            (.exponential, 5, 12, 3, 12),
            (.exponential, 1, nil, 11, 1024),
        ] as [(RetryPolicy.Backoff, Int, Int?, Int, Int)])
    func backoff(_ backoff: RetryPolicy.Backoff, _ delay: Int, _ max: Int?, _ attempt: Int, _ expected: Int) {
        let policy = RetryPolicy(attempts: 20, backoff: backoff, delay: .seconds(delay), maxDelay: max.map { .seconds($0) })
        #expect(policy.delay(after: attempt) == .seconds(expected))
    }

    @Test("never more steps run at once than the concurrency limit")
    func concurrencyLimit() async {
        let steps = (1...12).map { B.step("s\($0)") }
        let (status, _, runner) = await run(B.workflow(concurrency: 3, steps))
        #expect(status == .succeeded)
        #expect(runner.maxConcurrency <= 3)
    }

    @Test("matrix steps fan out into one step run per combination, with readable ids")
    func matrix() async {
        let matrix = Matrix(
            dimensions: [
                .init(name: "os", values: [.string("linux"), .string("mac")]),
                .init(name: "py", values: [.string("3.11"), .string("3.12")]),
            ],
            exclude: [["os": .string("mac"), "py": .string("3.11")]])
        let w = B.workflow([B.step("test", run: "echo ${{ matrix.os }}", matrix: matrix), B.step("after", needs: ["test"])])
        let (status, observer, runner) = await run(w)
        #expect(status == .succeeded)
        #expect(observer.startOrder == ["test[linux,3.11]", "test[linux,3.12]", "test[mac,3.12]", "after"])
        #expect(runner.environment("test[mac,3.12]")?["FLOW_MATRIX_OS"] == "mac")
    }

    @Test("a resumed run reuses succeeded step runs and their outputs")
    func resume() async {
        let w = B.workflow([
            B.step("a"), B.step("b", needs: ["a"], env: ["FROM_A": "${{ steps.a.outputs.digest }}"]),
        ])
        let (status, observer, runner) = await run(w, reused: ["a": (.succeeded, ["digest": "sha256:abc"])])
        #expect(status == .succeeded)
        #expect(observer.startOrder == ["b"])
        #expect(runner.environment("b")?["FROM_A"] == "sha256:abc")
    }

    @Test("outputs flow to the steps that need them")
    func outputs() async {
        let w = B.workflow([
            B.step("a"), B.step("b", needs: ["a"], env: ["V": "v=${{ steps.a.outputs.x }}; r=${{ steps.a.result }}"]),
        ])
        let (_, observer, runner) = await run(w, scripts: ["a": .init([.succeeded], outputs: ["x": "42"])])
        #expect(observer.outputs["a"] == ["x": "42"])
        #expect(runner.environment("b")?["V"] == "v=42; r=success")
    }

    @Test("an if: that is false skips the step, and its dependents by default")
    func falseCondition() async {
        let w = B.workflow(
            params: [ParamSpec(name: "deploy", type: .bool, defaultValue: .bool(false))],
            [
                B.step("a", if: "params.deploy"), B.step("b", needs: ["a"]),
            ])
        let (status, observer, _) = await run(w, params: ["deploy": .bool(false)])
        #expect(status == .succeeded)
        #expect(observer.outcomes["a"] == .skipped(reason: "if: params.deploy was false"))
        #expect(observer.outcomes["b"]?.status == .skipped)
    }

    @Test("cancelling stops running steps, marks pending ones cancelled, and still runs always() steps")
    func cancellation() async {
        let runner = ScriptedAttemptRunner(["slow": .init(blocks: true)])
        let engine = Engine(runner: runner, clock: ManualClock(), defaultConcurrency: 4)
        let w = B.workflow([
            B.step("slow"), B.step("next", needs: ["slow"]), B.step("cleanup", needs: ["slow"], if: "${{ always() }}"),
        ])
        let control = RunControl()
        let observer = RecordingObserver()
        let request = RunRequest(id: "r1", workflow: w, workspace: NSTemporaryDirectory() + "flow-cancel-\(UUID())", baseDirectory: "/")
        let task = Task { await engine.run(request, observer: observer, control: control) }
        await runner.waitUntilStarted("slow")
        control.cancel(reason: "test")
        let status = await task.value
        #expect(status == .cancelled)
        #expect(observer.outcomes["slow"] == .cancelled)
        #expect(observer.outcomes["next"] == .cancelled)
        #expect(observer.outcomes["cleanup"] == .succeeded)
    }

    @Test("a template that fails at run time fails its step with the reason")
    func runtimeExpressionError() async {
        let w = B.workflow([B.step("a", env: ["X": "${{ fromJSON('not json') }}"])])
        let (status, observer, _) = await run(w)
        #expect(status == .failed)
        guard case .failed(nil, nil, let reason?) = observer.outcomes["a"] else {
            Issue.record("expected a failure with a reason, got \(String(describing: observer.outcomes["a"]))")
            return
        }
        #expect(!reason.isEmpty)
    }
}
