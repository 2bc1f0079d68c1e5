public import FlowCore
public import FlowEngine
import Foundation

/// `uses: docker-build` — builds an image with `docker buildx build` (platforms, tags, OCI
/// labels, build args, target, cache from/to, push or load); without buildx, for one platform,
/// with plain `docker build` and a notice in the log. See `docs/steps/docker-build.md`.
public struct DockerBuildExecutor: StepExecutor {
    public var spec: StepKindSpec { Self.kindSpec }
    private let runner: ProcessRunner

    /// - Parameter runner: runs the docker client; one per engine is enough.
    public init(runner: ProcessRunner = ProcessRunner()) {
        self.runner = runner
    }

    public static let kindSpec = StepKindSpec(
        name: "docker-build",
        summary: "Build a container image with docker buildx (plain docker build for one platform without buildx).",
        inputs: [
            .init("context", .string, default: .string("."), "Build context folder, relative to the working directory."),
            .init("file", .string, "Dockerfile path; default <context>/Dockerfile."),
            .init("tags", .list(.string), "Image references to tag the result with (registry/name:tag)."),
            .init("platforms", .list(.string), "Target platforms (linux/amd64, linux/arm64…); several need buildx."),
            .init("build_args", .map(.string), "Build-time variables (--build-arg NAME=VALUE)."),
            .init("labels", .map(.string), "Extra image labels; they override the OCI labels the step sets."),
            .init("target", .string, "The Dockerfile stage to build."),
            .init("cache_from", .list(.string), "Cache sources (type=registry,ref=… or an image); plain builds use image references only."),
            .init("cache_to", .list(.string), "Cache exports (buildx only)."),
            .init("push", .bool, default: .bool(false), "Push the result to the tags' registries (buildx only; else use a push step)."),
            .init("load", .bool, "Load the result into the engine's image store; default true unless push or several platforms."),
            .init("pull", .bool, default: .bool(false), "Always try to pull newer base images."),
            .init("no_cache", .bool, default: .bool(false), "Build without the build cache."),
            .init(
                "builder", .oneOf(DockerBuildOptions.Builder.allCases.map(\.rawValue)), default: .string("auto"),
                "auto: buildx when available; buildx: require it; docker: plain docker build."),
            .init("source", .string, "org.opencontainers.image.source; default $GITHUB_SERVER_URL/$GITHUB_REPOSITORY when set."),
            .init("revision", .string, "org.opencontainers.image.revision; default $GITHUB_SHA, else `git rev-parse HEAD` in the context."),
            .init("docker", .string, default: .string("docker"), "The docker client binary."),
        ],
        outputs: [
            .init("image_id", "The image's id (sha256:…), from --iidfile."),
            .init("digest", "The manifest digest buildx reports (containerimage.digest); empty for a plain build."),
            .init("image", "The first tag, or the image id when untagged."),
            .init("tags", "All tags, comma-separated."),
            .init("builder", "buildx or docker: the builder that ran."),
        ])

    public func execute(_ invocation: StepInvocation) async throws -> [String: String] {
        let inputs = DockerStepInputs(invocation.inputs, kind: "docker-build")
        var options = try Self.options(inputs)
        let docker = try inputs.string("docker") ?? "docker"
        let tool = ToolProcess(
            runner: runner, environment: invocation.environment, workingDirectory: invocation.workingDirectory,
            log: invocation.log, timeout: nil)

        options.labels = try await labels(inputs, options: options, invocation: invocation, tool: tool).merging(options.labels) {
            _, given in given
        }

        let buildx = options.builder == .docker ? false : try await tool.run([docker, "buildx", "version"], capture: true).succeeded
        let scratch = try DockerScratch.make(in: invocation, kind: "docker-build")
        defer { scratch.remove() }
        let plan = try DockerBuildPlan.make(
            options, docker: docker, buildxAvailable: buildx, imageIDFile: scratch.path("iid"), metadataFile: scratch.path("metadata.json"))
        for notice in plan.notices { invocation.log.write(notice) }

        let started = ContinuousClock.now
        let result = try await tool.run(plan.arguments, environment: plan.environment)
        guard result.succeeded else {
            throw StepFailure("docker-build: the build failed (\(result.reason))")
        }
        invocation.log.write("built in \(ContinuousClock.now - started)")

        let imageID =
            (try? String(contentsOfFile: scratch.path("iid"), encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        var digest = ""
        if plan.usesBuildx, let data = FileManager.default.contents(atPath: scratch.path("metadata.json")),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        {
            digest = object["containerimage.digest"] as? String ?? ""
        }
        return [
            "image_id": imageID,
            "digest": digest,
            "image": options.tags.first ?? imageID,
            "tags": options.tags.joined(separator: ","),
            "builder": plan.usesBuildx ? "buildx" : "docker",
        ]
    }

    /// The options from the inputs (labels: only the given ones; OCI labels come later).
    static func options(_ inputs: DockerStepInputs) throws(StepFailure) -> DockerBuildOptions {
        var o = DockerBuildOptions()
        o.context = try inputs.string("context") ?? "."
        o.file = try inputs.string("file")
        o.tags = try inputs.list("tags")
        o.platforms = try inputs.list("platforms")
        o.buildArgs = try inputs.map("build_args")
        o.labels = try inputs.map("labels")
        o.target = try inputs.string("target")
        o.cacheFrom = try inputs.list("cache_from")
        o.cacheTo = try inputs.list("cache_to")
        o.push = try inputs.bool("push", default: false)
        o.load = try inputs.bool("load", default: !o.push && o.platforms.count <= 1)
        o.pull = try inputs.bool("pull", default: false)
        o.noCache = try inputs.bool("no_cache", default: false)
        o.builder = DockerBuildOptions.Builder(
            rawValue: try inputs.choice("builder", DockerBuildOptions.Builder.allCases.map(\.rawValue), default: "auto"))!
        return o
    }

    /// The OCI labels: created (SOURCE_DATE_EPOCH when set, for reproducible builds; else
    /// now), source and revision (inputs, GitHub Actions variables, or git).
    private func labels(
        _ inputs: DockerStepInputs, options: DockerBuildOptions, invocation: StepInvocation, tool: ToolProcess
    ) async throws -> [String: String] {
        let env = invocation.environment
        var labels: [String: String] = [:]
        let created = env["SOURCE_DATE_EPOCH"].flatMap(Double.init).map { Date(timeIntervalSince1970: $0) } ?? Date()
        labels[OCILabel.created] = created.formatted(.iso8601)
        if let source = try inputs.string("source") {
            labels[OCILabel.source] = source
        } else if let server = env["GITHUB_SERVER_URL"], let repository = env["GITHUB_REPOSITORY"], !server.isEmpty, !repository.isEmpty {
            labels[OCILabel.source] = server + "/" + repository
        }
        if let revision = try inputs.string("revision") ?? env["GITHUB_SHA"].flatMap({ $0.isEmpty ? nil : $0 }) {
            labels[OCILabel.revision] = revision
        } else {
            let git = try await tool.run(["git", "-C", options.context, "rev-parse", "HEAD"], capture: true)
            if git.succeeded, !git.stdoutText.isEmpty {
                labels[OCILabel.revision] = git.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
            } else {
                invocation.log.write("notice: no revision known (not a git checkout); \(OCILabel.revision) is not set")
            }
        }
        return labels
    }
}
