import FlowEngine
import Testing

@testable import FlowSteps

/// Command lines are checked against the flags documented for `docker buildx build` and the
/// legacy `docker build` (docs.docker.com reference pages for both commands).
@Suite("docker-build command lines")
struct DockerBuildPlanTests {
    static func options() -> DockerBuildOptions {
        var o = DockerBuildOptions()
        o.context = "app"
        o.file = "app/Dockerfile"
        o.tags = ["127.0.0.1:5000/flow:1", "127.0.0.1:5000/flow:latest"]
        o.buildArgs = ["B": "2", "A": "1"]
        o.labels = ["org.opencontainers.image.revision": "abc"]
        o.target = "runtime"
        return o
    }

    @Test("buildx gets platforms, tags, sorted labels and args, target, cache, push and the metadata file")
    func buildx() throws {
        var o = Self.options()
        o.platforms = ["linux/amd64", "linux/arm64"]
        o.cacheFrom = ["type=registry,ref=r/cache"]
        o.cacheTo = ["type=registry,ref=r/cache,mode=max"]
        o.push = true
        o.load = false
        let plan = try DockerBuildPlan.make(o, docker: "docker", buildxAvailable: true, imageIDFile: "/t/iid", metadataFile: "/t/m.json")
        #expect(plan.usesBuildx)
        #expect(plan.notices.isEmpty)
        #expect(plan.environment.isEmpty)
        #expect(
            plan.arguments == [
                "docker", "buildx", "build", "--progress", "plain", "--file", "app/Dockerfile",
                "--platform", "linux/amd64,linux/arm64",
                "--tag", "127.0.0.1:5000/flow:1", "--tag", "127.0.0.1:5000/flow:latest",
                "--label", "org.opencontainers.image.revision=abc",
                "--build-arg", "A=1", "--build-arg", "B=2", "--target", "runtime",
                "--cache-from", "type=registry,ref=r/cache", "--cache-to", "type=registry,ref=r/cache,mode=max",
                "--push", "--iidfile", "/t/iid", "--metadata-file", "/t/m.json", "app",
            ])
    }

    @Test("without buildx one platform builds with plain docker build, the legacy builder, and a notice")
    func fallback() throws {
        var o = Self.options()
        o.platforms = ["linux/amd64"]
        o.cacheFrom = ["type=registry,ref=r/cache", "type=gha", "r/plain"]
        o.cacheTo = ["type=inline"]
        let plan = try DockerBuildPlan.make(
            o, docker: "/usr/bin/docker", buildxAvailable: false, imageIDFile: "/t/iid", metadataFile: "/t/m.json")
        #expect(!plan.usesBuildx)
        #expect(plan.environment == ["DOCKER_BUILDKIT": "0"])
        #expect(
            plan.arguments == [
                "/usr/bin/docker", "build", "--file", "app/Dockerfile", "--platform", "linux/amd64",
                "--tag", "127.0.0.1:5000/flow:1", "--tag", "127.0.0.1:5000/flow:latest",
                "--label", "org.opencontainers.image.revision=abc",
                "--build-arg", "A=1", "--build-arg", "B=2", "--target", "runtime",
                "--cache-from", "r/cache", "--cache-from", "r/plain", "--iidfile", "/t/iid", "app",
            ])
        #expect(
            plan.notices == [
                "notice: `docker buildx` is not available — building with plain `docker build` (the legacy builder: one platform, no cache export)",
                "notice: cache_from 'type=gha' needs buildx; ignored",
                "notice: cache_to needs buildx; ignored",
            ])
    }

    @Test(
        "without buildx, several platforms, push or builder: buildx are permanent errors",
        arguments: [
            (
                ["linux/amd64", "linux/arm64"], false, DockerBuildOptions.Builder.auto,
                "docker-build: building for several platforms (linux/amd64, linux/arm64) needs `docker buildx`, which is not available; install the buildx plugin or build one platform"
            ),
            (
                [], true, .auto,
                "docker-build: push: true needs `docker buildx`, which is not available; build without push and add a `push` step"
            ),
            (
                [], false, .buildx,
                "docker-build: builder 'buildx' was asked for, but `docker buildx` is not available (install the buildx plugin)"
            ),
        ])
    func needsBuildx(platforms: [String], push: Bool, builder: DockerBuildOptions.Builder, message: String) {
        var o = Self.options()
        o.platforms = platforms
        o.push = push
        o.builder = builder
        #expect(throws: StepFailure.self) {
            try DockerBuildPlan.make(o, docker: "docker", buildxAvailable: false, imageIDFile: "i", metadataFile: "m")
        }
        do {
            _ = try DockerBuildPlan.make(o, docker: "docker", buildxAvailable: false, imageIDFile: "i", metadataFile: "m")
        } catch {
            #expect(error.message == message)
            #expect(error.isPermanent)
        }
    }

    @Test("builder: docker uses the legacy builder even when buildx is there")
    func forcedPlain() throws {
        var o = Self.options()
        o.builder = .docker
        let plan = try DockerBuildPlan.make(o, docker: "docker", buildxAvailable: true, imageIDFile: "i", metadataFile: "m")
        #expect(!plan.usesBuildx)
        #expect(plan.arguments.prefix(2) == ["docker", "build"])
    }

    @Test("inputs: a comma-separated string is a list; load defaults to true unless push or several platforms")
    func inputs() throws {
        let o = try DockerBuildExecutor.options(
            DockerStepInputs(
                [
                    "tags": .string("a:1, b:2"), "platforms": .array([.string("linux/amd64"), .string("linux/arm64")]),
                    "build_args": .object(["N": .number(3)]),
                ], kind: "docker-build"))
        #expect(o.tags == ["a:1", "b:2"])
        #expect(!o.load)
        #expect(o.buildArgs == ["N": "3"])
        let pushed = try DockerBuildExecutor.options(DockerStepInputs(["push": .string("true")], kind: "docker-build"))
        #expect(pushed.push && !pushed.load)
        #expect(try DockerBuildExecutor.options(DockerStepInputs([:], kind: "docker-build")).load)
    }
}
