import FlowEngine

/// The command line of one `docker-build` attempt, chosen from the options and whether buildx
/// is available. Pure: no processes.
struct DockerBuildPlan: Sendable, Equatable {
    /// The full argument vector, starting with the docker binary.
    var arguments: [String]
    /// True for `docker buildx build`, false for plain `docker build`.
    var usesBuildx: Bool
    /// Variables added to the tool's environment (`DOCKER_BUILDKIT=0` for plain builds: the
    /// legacy builder, since a newer client without buildx refuses BuildKit).
    var environment: [String: String]
    /// Lines for the step's log explaining what was chosen or left out.
    var notices: [String]

    /// Chooses the builder and writes the command line.
    ///
    /// - Parameters:
    ///   - docker: the docker client binary.
    ///   - buildxAvailable: whether `docker buildx version` succeeded.
    ///   - imageIDFile: where the builder writes the image id (`--iidfile`).
    ///   - metadataFile: where buildx writes its metadata (`--metadata-file`, JSON with
    ///     `containerimage.digest`); unused by plain builds.
    /// - Throws: `StepFailure` (permanent) when buildx is required (`builder: buildx`, several
    ///   platforms, or `push: true`) but missing.
    static func make(
        _ options: DockerBuildOptions, docker: String, buildxAvailable: Bool, imageIDFile: String, metadataFile: String
    ) throws(StepFailure) -> DockerBuildPlan {
        let useBuildx: Bool
        switch options.builder {
        case .buildx:
            guard buildxAvailable else {
                throw StepFailure(
                    "docker-build: builder 'buildx' was asked for, but `docker buildx` is not available (install the buildx plugin)",
                    permanent: true)
            }
            useBuildx = true
        case .docker: useBuildx = false
        case .auto: useBuildx = buildxAvailable
        }
        if !useBuildx {
            if options.platforms.count > 1 {
                throw StepFailure(
                    "docker-build: building for several platforms (\(options.platforms.joined(separator: ", "))) needs `docker buildx`, which is "
                        + (buildxAvailable ? "turned off by builder: docker" : "not available")
                        + "; install the buildx plugin or build one platform",
                    permanent: true)
            }
            if options.push {
                throw StepFailure(
                    "docker-build: push: true needs `docker buildx`, which is "
                        + (buildxAvailable ? "turned off by builder: docker" : "not available")
                        + "; build without push and add a `push` step", permanent: true)
            }
            return plain(options, docker: docker, imageIDFile: imageIDFile, buildxAvailable: buildxAvailable)
        }

        var a = [docker, "buildx", "build", "--progress", "plain"]
        if let b = options.builderInstance { a += ["--builder", b] }
        if let f = options.file { a += ["--file", f] }
        if !options.platforms.isEmpty { a += ["--platform", options.platforms.joined(separator: ",")] }
        for t in options.tags { a += ["--tag", t] }
        for (k, v) in options.labels.sorted(by: { $0.key < $1.key }) { a += ["--label", "\(k)=\(v)"] }
        for (k, v) in options.buildArgs.sorted(by: { $0.key < $1.key }) { a += ["--build-arg", "\(k)=\(v)"] }
        if let t = options.target { a += ["--target", t] }
        for c in options.cacheFrom { a += ["--cache-from", c] }
        for c in options.cacheTo { a += ["--cache-to", c] }
        if options.pull { a.append("--pull") }
        if options.noCache { a.append("--no-cache") }
        if options.push { a.append("--push") }
        if options.load { a.append("--load") }
        a += ["--iidfile", imageIDFile, "--metadata-file", metadataFile, options.context]
        return DockerBuildPlan(arguments: a, usesBuildx: true, environment: [:], notices: [])
    }

    private static func plain(_ options: DockerBuildOptions, docker: String, imageIDFile: String, buildxAvailable: Bool) -> DockerBuildPlan
    {
        var notices = [
            buildxAvailable
                ? "notice: builder: docker — building with plain `docker build` (the legacy builder)"
                : "notice: `docker buildx` is not available — building with plain `docker build` (the legacy builder: one platform, no cache export)"
        ]
        var a = [docker, "build"]
        if let f = options.file { a += ["--file", f] }
        if let p = options.platforms.first { a += ["--platform", p] }
        for t in options.tags { a += ["--tag", t] }
        for (k, v) in options.labels.sorted(by: { $0.key < $1.key }) { a += ["--label", "\(k)=\(v)"] }
        for (k, v) in options.buildArgs.sorted(by: { $0.key < $1.key }) { a += ["--build-arg", "\(k)=\(v)"] }
        if let t = options.target { a += ["--target", t] }
        for c in options.cacheFrom {
            if let image = legacyCacheImage(c) {
                a += ["--cache-from", image]
            } else {
                notices.append("notice: cache_from '\(c)' needs buildx; ignored")
            }
        }
        if !options.cacheTo.isEmpty { notices.append("notice: cache_to needs buildx; ignored") }
        if options.pull { a.append("--pull") }
        if options.noCache { a.append("--no-cache") }
        a += ["--iidfile", imageIDFile, options.context]
        return DockerBuildPlan(arguments: a, usesBuildx: false, environment: ["DOCKER_BUILDKIT": "0"], notices: notices)
    }

    /// The image a plain build can use as a cache source: a bare reference, or the `ref=` of a
    /// `type=registry` entry; nil for other cache types (local, gha, s3…).
    static func legacyCacheImage(_ entry: String) -> String? {
        guard entry.contains("=") else { return entry }
        let fields = entry.split(separator: ",").map { $0.split(separator: "=", maxSplits: 1).map(String.init) }
        let pairs = Dictionary(fields.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil }, uniquingKeysWith: { a, _ in a })
        guard pairs["type"] == "registry" else { return nil }
        return pairs["ref"]
    }
}
