import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

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
    /// - Throws: `CancellationError` when cancelled.
    func run(onAttempt: (String) -> Void) async throws -> Outcome {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.timeoutIntervalForRequest = seconds(timeout)
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        var last = "no attempt"
        for attempt in 1...max(1, attempts) {
            try Task.checkCancellation()
            var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: seconds(timeout))
            request.httpMethod = "GET"
            do {
                let (_, response) = try await session.data(for: request)
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                if (200..<300).contains(status) {
                    onAttempt("health check \(attempt)/\(attempts): \(url.absoluteString) answered HTTP \(status)")
                    return .healthy(attempt: attempt)
                }
                last = "HTTP \(status)"
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                last = (error as? URLError).map(Self.describe) ?? error.localizedDescription
            }
            onAttempt("health check \(attempt)/\(attempts): \(url.absoluteString): \(last)")
            if attempt < attempts { try await Task.sleep(for: interval) }
        }
        return .unhealthy(lastError: last)
    }

    private func seconds(_ d: Duration) -> TimeInterval {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    private static func describe(_ error: URLError) -> String {
        switch error.code {
        case .timedOut: "timed out"
        case .cannotConnectToHost: "connection refused"
        case .networkConnectionLost: "connection lost"
        case .badServerResponse: "bad response"
        default: "error \(error.code.rawValue)"
        }
    }
}
