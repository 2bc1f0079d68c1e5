public import FlowCore
public import FlowEngine
import Foundation

/// `uses: push` — logs in to a registry (password on standard input, never in arguments, the
/// log or the database), pushes images, reports the digest, and logs out. The login lives in
/// a throw-away docker configuration folder, so it never reaches `~/.docker`. See
/// `docs/steps/push.md`.
public struct PushExecutor: StepExecutor {
    public var spec: StepKindSpec { Self.kindSpec }
    private let runner: ProcessRunner

    public init(runner: ProcessRunner = ProcessRunner()) {
        self.runner = runner
    }

    public static let kindSpec = StepKindSpec(
        name: "push",
        summary: "Log in to a registry with a secret, push images, output the digest, log out.",
        inputs: [
            .init("images", .list(.string), required: true, "Image references to push, all in one registry (a list, or comma-separated)."),
            .init("registry", .string, "Registry host[:port] to log in to; default the first image's registry."),
            .init("username", .string, "Registry user; without it no login happens (the engine's own credentials are used)."),
            .init("password", .string, "Registry password or token; pass a secret: ${{ secrets.REGISTRY_PASSWORD }}."),
            .init("docker", .string, default: .string("docker"), "The docker client binary."),
        ],
        outputs: [
            .init("digest", "The manifest digest the registry reported for the first image (sha256:…)."),
            .init("image", "The first image pinned by digest: registry/repository@sha256:…."),
            .init("images", "Every pushed reference, comma-separated."),
        ])

    public func execute(_ invocation: StepInvocation) async throws -> [String: String] {
        let inputs = DockerStepInputs(invocation.inputs, kind: "push")
        let images = try inputs.list("images")
        guard let first = images.first else { throw StepFailure("push: input 'images' is empty", permanent: true) }
        var references: [ImageReference] = []
        for image in images {
            guard let reference = ImageReference(image) else {
                throw StepFailure("push: '\(image)' is not an image reference", permanent: true)
            }
            references.append(reference)
        }
        let registry = try inputs.string("registry") ?? references[0].registry
        let docker = try inputs.string("docker") ?? "docker"
        let username = try inputs.string("username")
        let password = try inputs.string("password")
        if username != nil, password == nil {
            throw StepFailure("push: input 'password' is required with 'username'", permanent: true)
        }
        if username == nil, password != nil {
            throw StepFailure("push: input 'username' is required with 'password'", permanent: true)
        }

        let scratch = try DockerScratch.make(in: invocation, kind: "push")
        defer { scratch.remove() }
        var environment = invocation.environment
        if username != nil {
            // A private configuration folder: the stored login never touches ~/.docker and
            // disappears with the scratch folder.
            environment["DOCKER_CONFIG"] = scratch.path("config")
        }
        let tool = ToolProcess(
            runner: runner, environment: environment, workingDirectory: invocation.workingDirectory, log: invocation.log,
            timeout: nil)

        if let username, let password {
            let login = try await tool.run(
                [docker, "login", "--username", username, "--password-stdin", registry],
                standardInput: Array(password.utf8))
            guard login.succeeded else {
                throw StepFailure("push: login to \(registry) as \(username) failed (\(login.reason))")
            }
        }
        var digests: [String] = []
        var failure: StepFailure?
        for image in images {
            let push = try await tool.run([docker, "push", image], capture: true)
            guard push.succeeded else {
                failure = StepFailure("push: pushing \(image) failed (\(push.reason))")
                break
            }
            guard let digest = Self.digest(inPushOutput: push.stdoutText) else {
                failure = StepFailure("push: docker push \(image) reported no digest")
                break
            }
            digests.append(digest)
        }
        if username != nil {
            let logout = try await tool.run([docker, "logout", registry])
            if !logout.succeeded { invocation.log.write("warning: docker logout \(registry) failed (\(logout.reason))") }
        }
        if let failure { throw failure }
        invocation.log.write("pushed \(first) as \(digests[0])")
        return [
            "digest": digests[0],
            "image": references[0].pinned(to: digests[0]),
            "images": images.joined(separator: ","),
        ]
    }

    /// The digest in `docker push` output: its last line reads
    /// `TAG: digest: sha256:<64 hex> size: N`.
    static func digest(inPushOutput text: String) -> String? {
        var found: String?
        for line in text.split(whereSeparator: \.isNewline) {
            guard let range = line.range(of: "digest: sha256:") else { continue }
            let hex = line[range.upperBound...].prefix { $0.isHexDigit }
            if hex.count == 64 { found = "sha256:" + hex }
        }
        return found
    }
}
