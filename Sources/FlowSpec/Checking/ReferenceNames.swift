import FlowCore

/// Case-insensitive lookups of declared names (GitHub's rule for context lookups), built once.
struct ReferenceNames {
    private let params: [String: Int]
    private let secrets: [String: Int]
    private let steps: [String: Int]

    init(workflow: Workflow) {
        var params: [String: Int] = [:]
        for (index, param) in workflow.params.enumerated() where params[param.name.lowercased()] == nil {
            params[param.name.lowercased()] = index
        }
        var secrets: [String: Int] = [:]
        for (index, secret) in workflow.secrets.enumerated() where secrets[secret.name.lowercased()] == nil {
            secrets[secret.name.lowercased()] = index
        }
        var steps: [String: Int] = [:]
        for (index, step) in workflow.steps.enumerated() where steps[step.id.rawValue.lowercased()] == nil {
            steps[step.id.rawValue.lowercased()] = index
        }
        self.params = params
        self.secrets = secrets
        self.steps = steps
    }

    func param(_ name: String) -> Int? { params[name.lowercased()] }
    func secret(_ name: String) -> Int? { secrets[name.lowercased()] }
    func step(_ name: String) -> Int? { steps[name.lowercased()] }
}
