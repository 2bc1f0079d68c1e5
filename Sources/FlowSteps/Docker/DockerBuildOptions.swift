import FlowCore

/// What one `docker-build` step builds, read from its inputs; `DockerBuildPlan` turns it into
/// a command line.
struct DockerBuildOptions: Sendable, Equatable {
    /// Which builder to use: `auto` takes buildx when `docker buildx version` answers.
    enum Builder: String, Sendable, CaseIterable {
        case auto, buildx, docker
    }

    /// The build context folder (or URL), as given.
    var context: String = "."
    /// The Dockerfile; nil for the builder's default (`<context>/Dockerfile`).
    var file: String?
    var tags: [String] = []
    /// `os/arch[/variant]`, e.g. `linux/amd64`; empty for the engine's own platform.
    var platforms: [String] = []
    var buildArgs: [String: String] = [:]
    /// Labels, the OCI ones (`org.opencontainers.image.*`) included.
    var labels: [String: String] = [:]
    var target: String?
    /// buildx `--cache-from` / `--cache-to` entries (`type=registry,ref=…`, or an image
    /// reference).
    var cacheFrom: [String] = []
    var cacheTo: [String] = []
    /// buildx `--push`: push the result to the registries of its tags.
    var push: Bool = false
    /// buildx `--load`: put the result into the engine's image store.
    var load: Bool = true
    /// Always try to pull newer base images.
    var pull: Bool = false
    var noCache: Bool = false
    /// A named buildx builder instance; nil for the current one.
    var builderInstance: String?
    var builder: Builder = .auto
}

/// The OCI annotation keys the step sets, from the OCI image spec's "Pre-Defined Annotation
/// Keys" (annotations.md): `created` is an RFC 3339 date-time, `source` the URL of the
/// source code, `revision` its version-control revision.
enum OCILabel {
    static let created = "org.opencontainers.image.created"
    static let source = "org.opencontainers.image.source"
    static let revision = "org.opencontainers.image.revision"
}
