import FlowEngine

/// Which Compose implementation runs a deployment: the `docker compose` plugin (v2) when
/// `docker compose version` answers, else the standalone `docker-compose` (v1).
struct ComposeTool: Sendable, Equatable {
    /// The words that start every compose command (`["docker", "compose"]` or
    /// `["docker-compose"]`) followed by the project and file options.
    var prefix: [String]
    /// `docker compose` or `docker-compose`, for the log and outputs.
    var name: String

    /// Finds a Compose implementation.
    /// - Throws: `StepFailure` (permanent) when neither answers.
    static func detect(docker: String, project: String, files: [String], tool: ToolProcess) async throws -> ComposeTool {
        let options = ["-p", project] + files.flatMap { ["-f", $0] }
        if try await tool.run([docker, "compose", "version"], capture: true).succeeded {
            return ComposeTool(prefix: [docker, "compose"] + options, name: "docker compose")
        }
        if try await tool.run(["docker-compose", "version"], capture: true).succeeded {
            tool.log.write("notice: the docker compose plugin is not available; using docker-compose")
            return ComposeTool(prefix: ["docker-compose"] + options, name: "docker-compose")
        }
        throw StepFailure("deploy: neither `docker compose` nor `docker-compose` is available", permanent: true)
    }

    func command(_ words: String...) -> [String] { prefix + words }
    func command(_ words: [String]) -> [String] { prefix + words }
}
