import Foundation
import Testing

@testable import FlowSteps

/// The crawler's fetcher against `Fixtures/trickle_server.py`: a head at once, then a
/// 100000-byte body at 1 byte per 0.2 s (5.5 hours for the whole body).
@Suite("HTTP fetcher")
struct HTTPFetcherTests {
    /// Runs `body` with the trickle server started and a fetcher with `timeout`; stops both after.
    func withTrickleServer(
        timeout: Duration, _ body: (LoopbackServer, HTTPFetcher, URL) async throws -> Void
    ) async throws {
        let server = try LoopbackServer.python(script: IngestFixtures.fixture("trickle_server.py"))
        defer { server.stop() }
        let fetcher = HTTPFetcher(timeout: timeout)
        defer { fetcher.close() }
        try await body(server, fetcher, try #require(URL(string: server.base + "/trickle")))
    }

    /// Waits until the server's request log has a line starting with `prefix` (polling, 10 s at most).
    func waitForLog(_ server: LoopbackServer, _ prefix: String) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if server.logLines("requests.log").contains(where: { $0.hasPrefix(prefix) }) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("the server never logged '\(prefix)': \(server.logLines("requests.log"))")
    }

    /// The timeout covers the body: the request ends 1 s after it started (deadline plus the
    /// cancellation), not when the last byte would come 5.5 hours later; the time limit turns
    /// a regression into a failure instead of a hang.
    @Test("a body trickling in past the timeout fails as a transient timeout and its connection closes", .timeLimit(.minutes(1)))
    func tricklingBodyTimesOut() async throws {
        try await withTrickleServer(timeout: .seconds(1)) { server, fetcher, url in
            let failure = await #expect(throws: HTTPFetcher.Failure.self) { try await fetcher.get(url, headers: [:]) }
            // The words and retry class a response head that misses its deadline gets
            // (HTTPClientError.deadlineExceeded → "timed out", worth retrying).
            #expect(failure?.message == "timed out")
            #expect(failure?.transient == true)
            // The request was cancelled, not abandoned: the server's next write fails.
            try await waitForLog(server, "head /trickle")
            try await waitForLog(server, "closed /trickle")
        }
    }

    @Test("cancelling the task while the body trickles in throws CancellationError and closes the connection", .timeLimit(.minutes(1)))
    func cancelledWhileReadingBody() async throws {
        try await withTrickleServer(timeout: .seconds(60)) { server, fetcher, url in
            let fetch = Task { try await fetcher.get(url, headers: [:]) }
            try await waitForLog(server, "head /trickle")
            fetch.cancel()
            let result = await fetch.result
            #expect(throws: CancellationError.self) { try result.get() }
            try await waitForLog(server, "closed /trickle")
        }
    }
}
