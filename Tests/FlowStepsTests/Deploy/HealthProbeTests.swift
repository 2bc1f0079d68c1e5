import Foundation
import Testing

@testable import FlowSteps

/// The health probe against a real loopback server: `Crawl/Fixtures/flaky_server.py`, whose
/// answers per path are written in that script (`/moved` → 301 to `/target.html` → 200,
/// `/broken.html` → always 500, `/flaky.html` → 503 once, then 200).
@Suite("Health probe", .serialized)
struct HealthProbeTests {
    static let script = IngestFixtures.fixture(
        "flaky_server.py", file: (#filePath as NSString).deletingLastPathComponent + "/../Crawl/HealthProbe.swift")

    static func probe(_ url: String, attempts: Int = 2) -> HealthProbe {
        HealthProbe(url: URL(string: url)!, attempts: attempts, interval: .milliseconds(10), timeout: .seconds(5))
    }

    @Test("follows a redirect to a 2xx answer and is healthy at once")
    func redirect() async throws {
        let server = try LoopbackServer.python(script: Self.script)
        defer { server.stop() }
        var lines: [String] = []
        let outcome = try await Self.probe(server.base + "/moved").run { lines.append($0) }
        #expect(outcome == .healthy(attempt: 1))
        #expect(lines == ["health check 1/2: \(server.base)/moved answered HTTP 200"])
    }

    @Test("retries until the page answers 2xx")
    func secondAttempt() async throws {
        let server = try LoopbackServer.python(script: Self.script)
        defer { server.stop() }
        var lines: [String] = []
        let outcome = try await Self.probe(server.base + "/flaky.html").run { lines.append($0) }
        #expect(outcome == .healthy(attempt: 2))
        #expect(lines.first == "health check 1/2: \(server.base)/flaky.html: HTTP 503")
    }

    @Test("a page that keeps failing is unhealthy with its last status")
    func broken() async throws {
        let server = try LoopbackServer.python(script: Self.script)
        defer { server.stop() }
        let outcome = try await Self.probe(server.base + "/broken.html").run { _ in }
        #expect(outcome == .unhealthy(lastError: "HTTP 500"))
    }

    @Test("a port nothing listens on is refused at once, not after the timeout")
    func refused() async throws {
        let port = try LoopbackServer.freePort()
        let started = ContinuousClock.now
        let outcome = try await Self.probe("http://127.0.0.1:\(port)/", attempts: 1).run { _ in }
        #expect(outcome == .unhealthy(lastError: "connection refused"))
        #expect(ContinuousClock.now - started < .seconds(5))
    }
}
