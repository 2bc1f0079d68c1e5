import FlowCore
import FlowEngine
import FlowStore
import Foundation
import Testing

@testable import FlowSteps

/// The container kinds against the real things: a Docker engine, a registry with htpasswd
/// login on 127.0.0.1, trivy, docker-compose. Started by scripts/ci (see docs/steps/*.md);
/// enabled by FLOW_TEST_DOCKER=1 and always in CI, where an unreachable engine fails.
@Suite("Docker kinds against a real engine, registry and trivy", .serialized, .enabled(if: DockerTestEnvironment.enabled))
struct DockerIntegrationTests {
    let shell = TestShell()

    /// Builds the fixture `app` image with the real `docker-build` step.
    func buildApp(tag: String, version: String, healthy: Bool = true, log: CollectedLog = CollectedLog()) async throws -> [String: String] {
        let folder = try TestInvocation.folder("app")
        try TestInvocation.copyFixture("app", to: folder)
        let invocation = TestInvocation.make(
            "build",
            inputs: [
                "context": .string("."), "tags": .array([.string(tag)]),
                "build_args": .object([
                    "BASE": .string(DockerTestEnvironment.baseImage), "VERSION": .string(version),
                    "HEALTHY": .string(healthy ? "yes" : "no"),
                ]),
                "source": .string("https://example.invalid/flow"), "revision": .string("0123abcd"),
            ], workspace: folder, log: log.log)
        return try await DockerBuildExecutor().execute(invocation)
    }

    func requireEngine() async throws {
        let answers = await shell.dockerAnswers()
        #expect(answers, "no Docker engine answers (run scripts/ci/start-docker.sh); in CI this is a failure, not a skip")
        try #require(answers)
    }

    @Test(
        "builds from the local base with OCI labels, pushes with a login, pulls back by digest; the password is in no log, output, row or argv"
    )
    func buildPushPull() async throws {
        try await requireEngine()
        let password = DockerTestEnvironment.password
        try #require(password.count >= 8, "FLOW_TEST_REGISTRY_PASSWORD is not set (scripts/ci/start-registry.sh)")
        let registry = DockerTestEnvironment.registry
        let repository = "\(registry)/flow-test/\(DockerTestEnvironment.unique("app"))"
        let tag = repository + ":v1"

        let started = ContinuousClock.now
        let built = try await buildApp(tag: tag, version: "v1")
        print("timing: docker-build of the test image took \(ContinuousClock.now - started)")
        #expect(built["image"] == tag)
        #expect(built["builder"] == "docker" || built["builder"] == "buildx")
        let inspect = await shell.run(["docker", "image", "inspect", "--format", "{{.Id}} {{json .Config.Labels}}", tag])
        #expect(inspect.status == 0)
        let parts = inspect.output.split(separator: " ", maxSplits: 1).map(String.init)
        #expect(parts.first == built["image_id"])
        let labels = try JSONSerialization.jsonObject(with: Data(parts[1].utf8)) as? [String: String] ?? [:]
        #expect(labels["org.opencontainers.image.source"] == "https://example.invalid/flow")
        #expect(labels["org.opencontainers.image.revision"] == "0123abcd")
        #expect(labels["org.opencontainers.image.created"].flatMap { try? Date.ISO8601FormatStyle().parse($0) } != nil)

        // A docker wrapper records every argument list the step passes to docker.
        let folder = try TestInvocation.folder("push")
        let argvFile = folder + "/argv.log"
        let dockerPath = await shell.run(["sh", "-c", "command -v docker"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        let wrapper = folder + "/docker-wrapper"
        try "#!/bin/sh\nprintf '%s ' \"$@\" >> '\(argvFile)'\necho >> '\(argvFile)'\nexec '\(dockerPath)' \"$@\"\n"
            .write(toFile: wrapper, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: wrapper)

        // The push runs through the engine, recorded in a real run database.
        let databasePath = folder + "/runs.sqlite"
        let workspace = folder + "/workspace"
        try FileManager.default.createDirectory(atPath: workspace, withIntermediateDirectories: true)
        let store = try RunStore(path: databasePath)
        let runID = RunID("push-\(UUID().uuidString.prefix(8))")
        let workflow = Workflow(
            name: "push-test",
            steps: [
                Step(
                    id: "push",
                    action: .uses(
                        kind: Located("push"),
                        with: [
                            "images": .array([.string(tag)]), "username": .string(DockerTestEnvironment.user),
                            "password": .string("${{ secrets.REGISTRY_PASSWORD }}"), "docker": .string(wrapper),
                        ]))
            ])
        try store.createRun(
            Run(
                id: runID, workflow: "push-test", workflowFile: nil, trigger: .ci, status: .queued, params: [:], workspace: workspace,
                createdAt: Date()),
            steps: ["push"])
        let recorder = RunRecorder(store: store, run: runID)
        let engine = Engine(runner: SystemAttemptRunner(), executors: StepExecutorSet([PushExecutor()]))
        let request = RunRequest(
            id: runID, workflow: workflow, secrets: ["REGISTRY_PASSWORD": password], trigger: .ci, workspace: workspace,
            baseDirectory: folder, baseEnvironment: DockerTestEnvironment.toolEnvironment, databasePath: databasePath)
        let sampler = ArgumentSampler(needle: password)
        let sampling = Task { await sampler.run() }
        let status = await engine.run(request, observer: recorder)
        sampling.cancel()
        await sampling.value
        try await recorder.close()

        let logs = try store.logs(runID)
        let logText = logs.map { String(decoding: $0.bytes, as: UTF8.self) }.joined(separator: "\n")
        #expect(status == .succeeded, "\(logText)")
        let outputs = try store.stepRuns(runID).first?.outputs ?? [:]
        let digest = try #require(outputs["digest"])
        #expect(digest.hasPrefix("sha256:") && digest.count == 71)
        #expect(outputs["image"] == repository + "@" + digest)

        // The password: never in a log line, an output, the database files, the workspace, or
        // any process's arguments (the wrapper's record and /proc sampling during the push).
        let needle = Array(password.utf8)
        #expect(!logs.contains { containsBytes($0.bytes, needle) })
        #expect(!outputs.values.contains { $0.contains(password) })
        for suffix in ["", "-wal", "-shm"] {
            if let data = FileManager.default.contents(atPath: databasePath + suffix) {
                #expect(!containsBytes([UInt8](data), needle), "runs.sqlite\(suffix) holds the password")
            }
        }
        let files = FileManager.default.enumerator(atPath: workspace)?.allObjects as? [String] ?? []
        for file in files {
            if let data = FileManager.default.contents(atPath: workspace + "/" + file) {
                #expect(!containsBytes([UInt8](data), needle), "workspace file \(file) holds the password")
            }
        }
        #expect(!files.contains { $0.contains("config.json") }, "the login's docker configuration was left behind")
        let argv = try String(contentsOfFile: argvFile, encoding: .utf8)
        #expect(argv.contains("login --username \(DockerTestEnvironment.user) --password-stdin \(registry)"))
        #expect(argv.contains("push \(tag)"))
        #expect(argv.contains("logout \(registry)"))
        #expect(!argv.contains(password))
        #expect(sampler.found.isEmpty, "argument lists holding the password: \(sampler.found)")
        #expect(sampler.sampleCount > 0)

        // Pull back by digest: drop the local image, log in (password on stdin), pull, compare.
        #expect(await shell.run(["docker", "rmi", "--force", tag]).status == 0)
        let config = folder + "/docker-config"
        let login = await shell.run(
            ["docker", "login", "--username", DockerTestEnvironment.user, "--password-stdin", registry], input: password,
            environment: ["DOCKER_CONFIG": config])
        #expect(login.status == 0, "\(login.output)")
        let pull = await shell.run(["docker", "pull", repository + "@" + digest], environment: ["DOCKER_CONFIG": config])
        #expect(pull.status == 0, "\(pull.output)")
        await shell.run(["docker", "logout", registry], environment: ["DOCKER_CONFIG": config])
        let pulled = await shell.run(["docker", "image", "inspect", "--format", "{{.Id}}", repository + "@" + digest])
        #expect(pulled.output == built["image_id"])
        await shell.run(["docker", "rmi", "--force", repository + "@" + digest])
    }

    @Test("a wrong password fails the login with a reason and no password in it")
    func wrongPassword() async throws {
        try await requireEngine()
        let folder = try TestInvocation.folder("badlogin")
        let log = CollectedLog()
        let invocation = TestInvocation.make(
            "push",
            inputs: [
                "images": .string("\(DockerTestEnvironment.registry)/flow-test/none:v1"), "username": .string(DockerTestEnvironment.user),
                "password": .string("not-the-password-\(UUID().uuidString)"),
            ], workspace: folder, log: log.log)
        do {
            _ = try await PushExecutor().execute(invocation)
            Issue.record("a wrong password was accepted")
        } catch let failure as StepFailure {
            #expect(
                failure.message.hasPrefix(
                    "push: login to \(DockerTestEnvironment.registry) as \(DockerTestEnvironment.user) failed (exit status 1"))
            #expect(!failure.message.contains("not-the-password"))
            #expect(!log.text.contains("not-the-password"))
        }
    }

    @Test("a bad Dockerfile folder: the misconfiguration and the planted key are found and fail the gate; SARIF is written")
    func scanBadFolder() async throws {
        let folder = try TestInvocation.folder("scanfs")
        let bad = folder + "/bad"
        try FileManager.default.createDirectory(atPath: bad, withIntermediateDirectories: true)
        try TestInvocation.copyFixture("bad", to: bad)
        // A fake AWS key in the documented AKIA + 16 characters form, assembled here only.
        try "AWS_ACCESS_KEY_ID=AKIA\("QW3RT7YU2IOP5ASD")\n".write(toFile: bad + "/app.env", atomically: true, encoding: .utf8)
        let log = CollectedLog()
        let invocation = TestInvocation.make(
            "scan", inputs: ["mode": .string("fs"), "target": .string("bad"), "skip_vulnerabilities_offline": .bool(true)],
            workspace: folder, log: log.log)
        let started = ContinuousClock.now
        do {
            _ = try await ScanExecutor().execute(invocation)
            Issue.record("the bad folder passed the gate")
        } catch let failure as StepFailure {
            #expect(
                failure.message.hasPrefix("scan: 2 finding(s) at or above HIGH (1 critical, 1 high, 0 medium, 1 low, 0 unknown)"),
                "\(failure.message)")
        }
        print("timing: trivy fs scan (secrets + misconfigurations, offline) took \(ContinuousClock.now - started)")
        #expect(log.all.contains("HIGH misconfiguration DS-0002 Dockerfile: Image user should not be 'root'"))
        #expect(log.all.contains("CRITICAL secret aws-access-key-id app.env:1: AWS Access Key ID"))
        #expect(log.all.contains { $0.hasPrefix("warning: the vulnerability database is unavailable (offline)") })
        #expect(!log.text.contains("QW3RT7YU2IOP5ASD"))
        let sarif = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/scan.sarif"))) as? [String: Any]
        #expect(sarif?["version"] as? String == "2.1.0")
        let results = ((sarif?["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]]) ?? []
        #expect(Set(results.compactMap { $0["ruleId"] as? String }) == ["DS-0002", "DS-0026", "aws-access-key-id"])

        // The same folder with both findings ignored (until a future date) passes.
        let ignoring = TestInvocation.make(
            "scan2",
            inputs: [
                "mode": .string("fs"), "target": .string("bad"), "scanners": .array([.string("secret"), .string("misconfig")]),
                "ignore": .array([
                    .object(["id": .string("DS-0002"), "until": .string("2999-12-31"), "reason": .string("test")]),
                    .string("aws-access-key-id"),
                ]),
            ], workspace: folder, log: CollectedLog().log)
        let outputs = try await ScanExecutor().execute(ignoring)
        #expect(outputs["passed"] == "true")
        #expect(outputs["ignored"] == "2")
        #expect(outputs["low"] == "1")
        #expect(outputs["vulnerabilities"] == "off")
    }

    @Test("without the vulnerability database the scan fails clearly unless told to skip vulnerabilities")
    func offlineDatabase() async throws {
        let folder = try TestInvocation.folder("offline")
        try TestInvocation.copyFixture("app", to: folder)
        let invocation = TestInvocation.make(
            "scan", inputs: ["mode": .string("fs"), "target": .string("."), "scanners": .array([.string("vuln"), .string("secret")])],
            workspace: folder, log: CollectedLog().log)
        do {
            _ = try await ScanExecutor().execute(invocation)
            Issue.record("scanned vulnerabilities without a database (is this machine online?)")
        } catch let failure as StepFailure {
            #expect(failure.message.hasPrefix("scan: trivy cannot get its vulnerability database (offline?)"))
            #expect(failure.message.contains("skip_vulnerabilities_offline: true"))
        }
    }

    @Test("image scans: the built image passes; an image with the planted key and root user fails")
    func scanImages() async throws {
        try await requireEngine()
        let name = DockerTestEnvironment.unique("flow-test-scan")
        _ = try await buildApp(tag: name + ":good", version: "v1")
        let started = ContinuousClock.now
        let folder = try TestInvocation.folder("scanimage")
        let good = try await ScanExecutor().execute(
            TestInvocation.make(
                "scan", inputs: ["mode": .string("image"), "target": .string(name + ":good"), "skip_vulnerabilities_offline": .bool(true)],
                workspace: folder, log: CollectedLog().log))
        print("timing: trivy image scan of the test image took \(ContinuousClock.now - started)")
        #expect(good["passed"] == "true")
        #expect(good["critical"] == "0" && good["high"] == "0")
        #expect(good["vulnerabilities"] == "skipped")

        let bad = try TestInvocation.folder("badimage")
        try TestInvocation.copyFixture("bad", to: bad)
        try "AWS_ACCESS_KEY_ID=AKIA\("QW3RT7YU2IOP5ASD")\n".write(toFile: bad + "/app.env", atomically: true, encoding: .utf8)
        let build = try await DockerBuildExecutor().execute(
            TestInvocation.make(
                "build",
                inputs: ["tags": .string(name + ":bad"), "build_args": .object(["BASE": .string(DockerTestEnvironment.baseImage)])],
                workspace: bad, log: CollectedLog().log))
        #expect(build["image"] == name + ":bad")
        let log = CollectedLog()
        do {
            _ = try await ScanExecutor().execute(
                TestInvocation.make(
                    "scan",
                    inputs: ["mode": .string("image"), "target": .string(name + ":bad"), "skip_vulnerabilities_offline": .bool(true)],
                    workspace: folder, log: log.log))
            Issue.record("the bad image passed the gate")
        } catch let failure as StepFailure {
            #expect(failure.message.contains("at or above HIGH"))
        }
        #expect(log.all.contains { $0.hasPrefix("CRITICAL secret aws-access-key-id") && $0.contains("app/app.env") }, "\(log.text)")
        #expect(log.all.contains { $0.hasPrefix("HIGH misconfiguration DS-0002") }, "\(log.text)")
        await shell.run(["docker", "rmi", "--force", name + ":good", name + ":bad"])
    }

    @Test("blue-green: a healthy image takes the traffic; a broken one is rolled back while the old colour answers; all recorded")
    func blueGreen() async throws {
        try await requireEngine()
        let name = DockerTestEnvironment.unique("flow-test-bg")
        for (version, healthy) in [("v1", true), ("v2", true), ("v3", false)] {
            _ = try await buildApp(tag: "\(name):\(version)", version: version, healthy: healthy)
        }
        let folder = try TestInvocation.folder("bluegreen")
        try TestInvocation.copyFixture("bluegreen", to: folder)
        let project = name.replacingOccurrences(of: "-", with: "")
        let ports = (blue: freeLoopbackPort(), green: freeLoopbackPort(), proxy: freeLoopbackPort())
        let databasePath = folder + "/runs.sqlite"
        let compose = ["docker-compose", "-p", project, "-f", folder + "/docker-compose.yml"]
        let composeEnvironment = [
            "IMAGE": "\(name):v1", "BLUE_PORT": "\(ports.blue)", "GREEN_PORT": "\(ports.green)", "PROXY_PORT": "\(ports.proxy)",
            "PROXY_IMAGE": DockerTestEnvironment.baseImage,
        ]
        let log = CollectedLog()
        func deploy(_ version: String) async throws -> [String: String] {
            let invocation = TestInvocation.make(
                "deploy",
                inputs: [
                    "project": .string(project), "files": .array([.string("docker-compose.yml")]), "image": .string("\(name):\(version)"),
                    "strategy": .string("blue-green"), "pull": .bool(false),
                    "env": .object([
                        "BLUE_PORT": .string("\(ports.blue)"), "GREEN_PORT": .string("\(ports.green)"),
                        "PROXY_PORT": .string("\(ports.proxy)"), "PROXY_IMAGE": .string(DockerTestEnvironment.baseImage),
                    ]),
                    "health_url": .object([
                        "blue": .string("http://127.0.0.1:\(ports.blue)/healthz"),
                        "green": .string("http://127.0.0.1:\(ports.green)/healthz"),
                    ]),
                    "health_retries": .number(version == "v3" ? 5 : 50), "health_interval": .string("200ms"),
                    "health_timeout": .string("2s"), "proxy_config": .string("proxy/upstream/upstream.conf"),
                    "upstreams": .object(["blue": .string("app-blue:8080"), "green": .string("app-green:8080")]),
                ], workspace: folder, log: log.log, databasePath: databasePath)
            let started = ContinuousClock.now
            defer { print("timing: blue-green deploy of \(version) took \(ContinuousClock.now - started)") }
            return try await DeployExecutor().execute(invocation)
        }
        /// What the proxy answers. nginx starts and applies a reload asynchronously (its master
        /// re-reads the configuration after the signal), so this tries a bounded number of
        /// times until the answer is `expected`.
        func proxyAnswer(expecting expected: String) async -> String {
            var last = ""
            for _ in 0..<50 {
                last = await shell.run(["curl", "-s", "--max-time", "2", "http://127.0.0.1:\(ports.proxy)/"]).output
                if last == expected { return last }
                try? await Task.sleep(for: .milliseconds(100))
            }
            return last
        }

        do {
            let first = try await deploy("v1")
            #expect(first["colour"] == "blue")
            #expect(first["previous_colour"] == "")
            #expect(await proxyAnswer(expecting: "v1") == "v1")

            let second = try await deploy("v2")
            #expect(second["colour"] == "green")
            #expect(second["previous_colour"] == "blue")
            #expect(await proxyAnswer(expecting: "v2") == "v2")
            #expect(await shell.run(["curl", "-s", "--max-time", "2", "http://127.0.0.1:\(ports.green)/"]).output == "v2")
            let blueID = await shell.run(compose + ["ps", "-q", "app-blue"], environment: composeEnvironment).output
            let blueRunning = await shell.run(["docker", "inspect", "--format", "{{.State.Running}}", blueID]).output
            #expect(blueRunning == "false", "the old colour still runs")

            do {
                _ = try await deploy("v3")
                Issue.record("the broken image was deployed")
            } catch let failure as StepFailure {
                #expect(
                    failure.message.hasPrefix(
                        "deploy: blue failed its health check http://127.0.0.1:\(ports.blue)/healthz after 5 attempt(s): HTTP 404"),
                    "\(failure.message)")
                #expect(failure.message.hasSuffix("; green keeps serving"))
            }
            // The old colour answers at once, through the proxy.
            #expect(await shell.run(["curl", "-s", "--max-time", "2", "http://127.0.0.1:\(ports.proxy)/"]).output == "v2")
            let upstream = try String(contentsOfFile: folder + "/proxy/upstream/upstream.conf", encoding: .utf8)
            #expect(upstream.contains("server app-green:8080;"))

            let rows = try RunStore(path: databasePath).deployments(project: project)
            #expect(rows.map(\.result) == [.rolledBack, .succeeded, .succeeded])
            #expect(rows.map(\.colour) == ["blue", "green", "blue"])
            #expect(rows.map(\.previousColour) == ["green", "blue", nil])
            #expect(rows.map(\.image) == ["\(name):v3", "\(name):v2", "\(name):v1"])
            #expect(rows[0].reason?.contains("HTTP 404") == true)
            #expect(rows.allSatisfy { $0.strategy == .blueGreen && $0.finishedAt >= $0.startedAt })
        } catch {
            Issue.record(error)
        }
        if ProcessInfo.processInfo.environment["FLOW_TEST_VERBOSE"] == "1" { print(log.text) }
        await shell.run(compose + ["down", "--timeout", "1"], environment: composeEnvironment)
        await shell.run(["docker", "rmi", "--force", "\(name):v1", "\(name):v2", "\(name):v3"])
    }
}
