public import FlowCore

/// Builds workflows in code for tests, without YAML.
public enum WorkflowBuilder {
    public static func workflow(
        name: String = "test", concurrency: Int? = nil, env: [String: String] = [:], params: [ParamSpec] = [],
        secrets: [SecretSpec] = [], defaults: StepDefaults = StepDefaults(), _ steps: [Step]
    ) -> Workflow {
        Workflow(
            name: WorkflowName(name), params: params,
            env: env.sorted { $0.key < $1.key }.map { EnvironmentEntry(name: $0.key, value: Located($0.value)) },
            secrets: secrets, defaults: defaults, concurrency: concurrency, steps: steps)
    }

    public static func step(
        _ id: String, run script: String = "true", needs: [String] = [], if condition: String? = nil,
        env: [String: String] = [:], retry: RetryPolicy? = nil, timeout: Duration? = nil, continueOnError: Bool = false,
        outputs: [String: String] = [:], matrix: Matrix? = nil, workingDirectory: String? = nil, shell: String? = nil
    ) -> Step {
        Step(
            id: StepID(id), action: .run(Located(script)), needs: needs.map { Located(StepID($0)) },
            condition: condition.map { Located($0) },
            env: env.sorted { $0.key < $1.key }.map { EnvironmentEntry(name: $0.key, value: Located($0.value)) },
            workingDirectory: workingDirectory, shell: shell, timeout: timeout, retry: retry,
            continueOnError: continueOnError, outputs: outputs.mapValues { Located($0) }, matrix: matrix)
    }

    public static func uses(_ id: String, _ kind: String, with: [String: ExpressionValue] = [:], needs: [String] = []) -> Step {
        Step(id: StepID(id), action: .uses(kind: Located(kind), with: with), needs: needs.map { Located(StepID($0)) })
    }
}
