public import FlowCore
public import FlowEngine
import FlowStore
import Foundation

/// `uses: deploy` — deploys a Compose project: `compose pull` + `up -d` (the `docker compose`
/// plugin, else `docker-compose`), or blue-green: start the idle colour, wait for its HTTP
/// health check, switch the reverse proxy's upstream and reload it, stop the old colour; a
/// failed check leaves the old colour serving and fails the step with the reason. Every
/// deployment is recorded in the run database (`deployments`). See `docs/steps/deploy.md`.
public struct DeployExecutor: StepExecutor {
    public var spec: StepKindSpec { Self.kindSpec }
    private let runner: ProcessRunner

    public init(runner: ProcessRunner = ProcessRunner()) {
        self.runner = runner
    }

    public static let kindSpec = StepKindSpec(
        name: "deploy",
        summary: "Deploy a Compose project: pull + up -d, or blue-green with a health check, traffic switch and rollback.",
        inputs: [
            .init("project", .string, required: true, "The Compose project name."),
            .init("files", .list(.string), "Compose files (-f), relative to the working directory; default Compose's own lookup."),
            .init("image", .string, required: true, "The image to deploy; given to Compose as ${IMAGE} (see image_variable) and recorded."),
            .init("image_variable", .string, default: .string("IMAGE"), "The variable the Compose file reads the image from."),
            .init("env", .map(.string), "More variables for Compose interpolation."),
            .init(
                "strategy", .oneOf(["recreate", "blue-green"]), default: .string("recreate"),
                "recreate: pull + up -d; blue-green: see the kind's page."),
            .init("pull", .bool, default: .bool(true), "Pull images before starting (compose pull)."),
            .init(
                "service", .string, default: .string("app"), "Blue-green: the colours are the services <service>-blue and <service>-green."),
            .init("health_url", .map(.string), "Blue-green: each colour's health check URL, {blue: URL, green: URL}; 2xx is healthy."),
            .init("health_retries", .int, default: .number(30), "Blue-green: health check attempts before giving up."),
            .init("health_interval", .duration, default: .string("2s"), "Blue-green: time between attempts."),
            .init("health_timeout", .duration, default: .string("5s"), "Blue-green: time limit of one request."),
            .init("proxy_service", .string, default: .string("proxy"), "Blue-green: the reverse proxy's service."),
            .init("proxy_config", .string, "Blue-green: the upstream file the step writes (in a folder the proxy mounts)."),
            .init("upstreams", .map(.string), "Blue-green: each colour's address as the proxy reaches it; default <service>-<colour>:80."),
            .init("upstream_name", .string, default: .string("app"), "Blue-green: the nginx upstream block's name."),
            .init("test_command", .list(.string), "Blue-green: checks the proxy's new configuration inside the proxy; default nginx -t."),
            .init("reload_command", .list(.string), "Blue-green: reloads the proxy inside its container; default nginx -s reload."),
            .init("stop_old", .bool, default: .bool(true), "Blue-green: stop the old colour after the switch."),
            .init("docker", .string, default: .string("docker"), "The docker client binary."),
        ],
        outputs: [
            .init("colour", "Blue-green: the colour now serving."),
            .init("previous_colour", "Blue-green: the colour that served before (empty on the first deployment)."),
            .init("image", "The image deployed."),
            .init("digest", "The image's digest (sha256:…) when the engine knows one."),
            .init("deployment_id", "The row id in the run database's deployments table (empty without a database)."),
            .init("compose", "docker compose or docker-compose: the implementation used."),
        ])

    public func execute(_ invocation: StepInvocation) async throws -> [String: String] {
        let inputs = DockerStepInputs(invocation.inputs, kind: "deploy")
        let options = try DeployOptions(inputs, workingDirectory: invocation.workingDirectory)
        var environment = invocation.environment
        for (name, value) in options.variables { environment[name] = value }
        let tool = ToolProcess(
            runner: runner, environment: environment, workingDirectory: invocation.workingDirectory, log: invocation.log,
            timeout: nil)
        let started = Date()
        let compose = try await ComposeTool.detect(docker: options.docker, project: options.project, files: options.files, tool: tool)

        var record = DeploymentRecord(
            runID: invocation.runID.rawValue, stepID: invocation.stepID.rawValue, project: options.project,
            strategy: options.strategy == "blue-green" ? .blueGreen : .recreate, colour: nil, previousColour: nil,
            image: options.image, imageDigest: nil, result: .failed, reason: nil, startedAt: started, finishedAt: started)
        var outputs: [String: String] = ["image": options.image, "compose": compose.name, "colour": "", "previous_colour": ""]
        do {
            if options.strategy == "blue-green" {
                let deployment = BlueGreenDeployment(options: options, compose: compose, tool: tool, log: invocation.log)
                try await deployment.run(&record)
                outputs["colour"] = record.colour ?? ""
                outputs["previous_colour"] = record.previousColour ?? ""
            } else {
                try await recreate(options, compose: compose, tool: tool)
            }
            record.result = .succeeded
        } catch let failure as BlueGreenDeployment.Failure {
            record.result = failure.rolledBack ? .rolledBack : .failed
            record.reason = failure.message
            record.imageDigest = await digest(of: options, tool: tool)
            record.finishedAt = Date()
            _ = try? save(record, invocation: invocation)
            throw StepFailure(failure.message)
        } catch let failure as StepFailure {
            record.reason = failure.message
            record.finishedAt = Date()
            _ = try? save(record, invocation: invocation)
            throw failure
        }
        record.imageDigest = await digest(of: options, tool: tool)
        record.finishedAt = Date()
        outputs["digest"] = record.imageDigest ?? ""
        outputs["deployment_id"] = try save(record, invocation: invocation).map(String.init) ?? ""
        invocation.log.write(
            "deployed \(options.image) to \(options.project)" + (record.colour.map { " (\($0) serves now)" } ?? ""))
        return outputs
    }

    /// `compose pull` (when asked) then `compose up -d`.
    private func recreate(_ options: DeployOptions, compose: ComposeTool, tool: ToolProcess) async throws {
        if options.pull {
            let pull = try await tool.run(compose.command("pull"))
            guard pull.succeeded else { throw StepFailure("deploy: \(compose.name) pull failed (\(pull.reason))") }
        }
        let up = try await tool.run(compose.command("up", "-d", "--remove-orphans"))
        guard up.succeeded else { throw StepFailure("deploy: \(compose.name) up -d failed (\(up.reason))") }
    }

    /// The image's digest: from a reference pinned by digest, else the engine's first repo
    /// digest of the image; nil when unknown (an image never pushed or pulled has none).
    private func digest(of options: DeployOptions, tool: ToolProcess) async -> String? {
        if let reference = ImageReference(options.image), let digest = reference.digest { return digest }
        guard
            let inspect = try? await tool.run(
                [options.docker, "image", "inspect", "--format", "{{range .RepoDigests}}{{println .}}{{end}}", options.image],
                capture: true, echo: false), inspect.succeeded
        else { return nil }
        return inspect.stdoutText.split(whereSeparator: \.isNewline).compactMap { ImageReference(String($0))?.digest }.first
    }

    /// Records `d` when the engine has a database.
    /// - Returns: the row id, or nil without a database.
    private func save(_ d: DeploymentRecord, invocation: StepInvocation) throws(StepFailure) -> Int64? {
        guard let path = invocation.databasePath else { return nil }
        do {
            return try RunStore(path: path).recordDeployment(d)
        } catch {
            throw StepFailure("deploy: cannot record the deployment: \(error.message)")
        }
    }
}
