import FlowCore
import FlowEngine
import Foundation
import Synchronization
import Testing

@testable import FlowSteps

/// What the tests against a real Docker engine, registry and trivy read from the environment
/// (exported by scripts/ci/start-docker.sh, start-registry.sh, base-image.sh,
/// install-trivy.sh). Enabled with FLOW_TEST_DOCKER=1, and always when CI=true: in CI an
/// unreachable engine fails these tests instead of skipping them.
enum DockerTestEnvironment {
    static let environment = ProcessInfo.processInfo.environment

    static var enabled: Bool { environment["FLOW_TEST_DOCKER"] == "1" || environment["CI"] == "true" }

    static var registry: String { environment["FLOW_TEST_REGISTRY"] ?? "127.0.0.1:5000" }
    static var user: String { environment["FLOW_TEST_REGISTRY_USER"] ?? "flow" }
    static var password: String { environment["FLOW_TEST_REGISTRY_PASSWORD"] ?? "" }
    static var baseImage: String { environment["FLOW_TEST_BASE_IMAGE"] ?? "flow-base:bookworm" }

    /// The environment tools run with: this process's, so PATH and DOCKER_HOST are kept.
    static var toolEnvironment: [String: String] { environment }

    /// A fresh name part for images and projects, so runs never collide.
    static func unique(_ prefix: String) -> String {
        prefix + "-" + UUID().uuidString.prefix(8).lowercased()
    }
}

/// A step log that keeps every line, for assertions.
final class CollectedLog: Sendable {
    private let lines = Mutex<[String]>([])

    var log: StepLog {
        StepLog { [self] _, bytes, _ in
            self.lines.withLock { $0.append(String(decoding: bytes, as: UTF8.self)) }
        }
    }

    var all: [String] { lines.withLock { $0 } }
    var text: String { all.joined(separator: "\n") }
}

/// Runs commands for test set-up and checks (not through a step), capturing their output.
struct TestShell: Sendable {
    let runner = ProcessRunner()

    /// Runs `arguments`; returns the exit status and standard output (standard error is added
    /// to the output after a blank line when the command fails).
    @discardableResult
    func run(_ arguments: [String], input: String? = nil, environment extra: [String: String] = [:], in folder: String? = nil) async -> (
        status: Int32, output: String
    ) {
        var environment = DockerTestEnvironment.toolEnvironment
        for (k, v) in extra { environment[k] = v }
        let out = Mutex<[String]>([])
        let err = Mutex<[String]>([])
        let termination = await runner.run(
            ProcessRequest(
                arguments: arguments, environment: environment, workingDirectory: folder, timeout: .seconds(600),
                standardInput: input.map { Array($0.utf8) })
        ) { lines in
            for line in lines {
                let text = String(decoding: line.bytes, as: UTF8.self)
                if line.stream == .stdout { out.withLock { $0.append(text) } } else { err.withLock { $0.append(text) } }
            }
        }
        let status: Int32 = if case .exited(let code) = termination { code } else { -1 }
        var output = out.withLock { $0.joined(separator: "\n") }
        if status != 0 { output += "\n\n" + err.withLock { $0.joined(separator: "\n") } }
        return (status, output)
    }

    /// `docker info` answers.
    func dockerAnswers() async -> Bool {
        await run(["docker", "info", "--format", "{{.ServerVersion}}"]).status == 0
    }
}

/// Makes invocations for executors called directly.
enum TestInvocation {
    static func make(
        _ step: String, inputs: [String: ExpressionValue], workspace: String, log: StepLog, databasePath: String? = nil,
        environment: [String: String] = DockerTestEnvironment.toolEnvironment
    ) -> StepInvocation {
        StepInvocation(
            runID: RunID("test-\(UUID().uuidString.prefix(8))"), workflow: WorkflowName("docker-tests"), stepID: StepID(step),
            attempt: 1, inputs: inputs, environment: environment, workspace: workspace, workingDirectory: workspace, log: log,
            databasePath: databasePath)
    }

    /// A new empty folder under the system's temporary folder.
    static func folder(_ name: String) throws -> String {
        let path = NSTemporaryDirectory() + "flow-docker-tests/" + DockerTestEnvironment.unique(name)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Copies fixture folder `relative` into `folder`.
    static func copyFixture(_ relative: String, to folder: String) throws {
        let source = DockerFixtures.path(relative)
        for name in try FileManager.default.contentsOfDirectory(atPath: source) {
            try FileManager.default.copyItem(atPath: source + "/" + name, toPath: folder + "/" + name)
        }
    }
}

/// Samples every process's argument list (`/proc/<pid>/cmdline`) while running, and keeps the
/// ones holding a needle: the secret must never be seen in any process's arguments.
final class ArgumentSampler: Sendable {
    private let hits = Mutex<[String]>([])
    private let samples = Mutex(0)
    let needle: [UInt8]

    init(needle: String) {
        self.needle = Array(needle.utf8)
    }

    /// Samples until cancelled, yielding between passes (a sampler, not a wait).
    func run() async {
        while !Task.isCancelled {
            sample()
            try? await Task.sleep(for: .milliseconds(2))
        }
    }

    func sample() {
        guard let pids = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return }
        for pid in pids where pid.allSatisfy(\.isNumber) {
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !data.isEmpty else { continue }
            let bytes = [UInt8](data)
            if bytes.count >= needle.count,
                (0...(bytes.count - needle.count)).contains(where: { bytes[$0..<$0 + needle.count].elementsEqual(needle) })
            {
                let text = String(decoding: bytes.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
                hits.withLock { $0.append(text) }
            }
        }
        samples.withLock { $0 += 1 }
    }

    var found: [String] { hits.withLock { $0 } }
    var sampleCount: Int { samples.withLock { $0 } }
}

/// Whether `haystack` contains `needle` as bytes.
func containsBytes(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty, haystack.count >= needle.count else { return false }
    for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
        if haystack[i..<i + needle.count].elementsEqual(needle) { return true }
    }
    return false
}

/// A free TCP port on 127.0.0.1 (bound to port 0, read back, released).
func freeLoopbackPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}
