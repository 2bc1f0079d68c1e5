public import FlowCore

/// One run with its step runs and their attempts, in plan order.
public struct RunDetail: Sendable {
    public var run: Run
    public var steps: [StepRun]
    public var attempts: [Attempt]

    public init(run: Run, steps: [StepRun], attempts: [Attempt]) {
        self.run = run
        self.steps = steps
        self.attempts = attempts
    }
}
