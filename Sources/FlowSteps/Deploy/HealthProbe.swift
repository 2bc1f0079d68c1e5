import AsyncHTTPClient
import Foundation
import NIOCore

/// An HTTP health check: GET a URL until it answers 2xx, at most `attempts` times, `interval`
/// apart, each request limited to `timeout`.
struct HealthProbe: Sendable {
    var url: URL
    var attempts: Int
    var interval: Duration
    var timeout: Duration

    /// The outcome: healthy, or the last failure in words (`HTTP 404`, `connection refused`).
    enum Outcome: Sendable, Equatable {
        case healthy(attempt: Int)
        case unhealthy(lastError: String)
    }

    /// Probes until healthy or out of attempts; `onAttempt` gets each attempt's result line.
    /// Redirects are followed (`SharedHTTPClient.following`).
    /// - Throws: `CancellationError` when cancelled.
    func run(onAttempt: (String) -> Void) async throws -> Outcome {
        var last = "no attempt"
        for attempt in 1...max(1, attempts) {
            try Task.checkCancellation()
            var request = HTTPClientRequest(url: url.absoluteString)
            request.method = .GET
            let deadline = SharedHTTPClient.deadline(after: timeout)
            do {
                let response = try await SharedHTTPClient.following.execute(request, deadline: deadline)
                let status = Int(response.status.code)
                // The body is not needed; reading it lets the connection be reused.
                _ = try? await SharedHTTPClient.collect(response.body, upTo: 1 << 20, by: deadline)
                if (200..<300).contains(status) {
                    onAttempt("health check \(attempt)/\(attempts): \(url.absoluteString) answered HTTP \(status)")
                    return .healthy(attempt: attempt)
                }
                last = "HTTP \(status)"
            } catch {
                let failure = SharedHTTPClient.classify(error)
                if failure == .cancelled { throw CancellationError() }
                last = failure.description
            }
            onAttempt("health check \(attempt)/\(attempts): \(url.absoluteString): \(last)")
            if attempt < attempts { try await Task.sleep(for: interval) }
        }
        return .unhealthy(lastError: last)
    }
}
