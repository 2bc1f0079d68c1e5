import AsyncHTTPClient
import FlowCore
import Foundation
import NIOCore
import NIOHTTP1

/// Sends JSON requests with retries (`HTTPRetryPolicy`) through the process's shared
/// AsyncHTTPClient (`SharedHTTPClient.following`, redirects followed); the transport of the `openai` embedder and the `qdrant` store.
///
/// Headers given in `headers` (API keys among them) are sent but never written to the log or
/// to error messages; URLs in messages have their user info removed.
struct JSONHTTPClient: Sendable {
    /// A response as received (any status).
    struct Response: Sendable {
        var status: Int
        var body: Data
        /// Header field names lowercased.
        var headers: [String: String]
    }

    /// A request that could not get a response at all after every attempt (connection refused,
    /// timeouts, DNS), with the last reason.
    struct TransportFailure: Error, Sendable, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    var retry: HTTPRetryPolicy
    /// Per-request timeout.
    var timeout: Duration
    /// Fixed headers for every request (e.g. `Authorization`).
    var headers: [String: String]
    /// Receives one line per retry.
    var log: @Sendable (String) -> Void

    init(retry: HTTPRetryPolicy, timeout: Duration, headers: [String: String] = [:], log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.retry = retry
        self.timeout = timeout
        self.headers = headers
        self.log = log
    }

    /// Sends `method url` with `body` (JSON) until a response that is not retryable arrives or
    /// the attempts are spent; returns the last response, whatever its status.
    /// - Throws: `TransportFailure` when no attempt got a response; `CancellationError`.
    func send(_ method: String, _ url: URL, body: Data? = nil) async throws -> Response {
        var attempt = 0
        while true {
            attempt += 1
            try Task.checkCancellation()
            var request = HTTPClientRequest(url: url.absoluteString)
            request.method = HTTPMethod(rawValue: method)
            request.headers.replaceOrAdd(name: "Accept", value: "application/json")
            if let body {
                request.body = .bytes(ByteBuffer(bytes: body))
                request.headers.replaceOrAdd(name: "Content-Type", value: "application/json")
            }
            for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
            let wait: Duration
            do {
                let deadline = SharedHTTPClient.deadline(after: timeout)
                let response = try await SharedHTTPClient.following.execute(request, deadline: deadline)
                // The deadline covers the body too, not only the response head.
                let buffer = try await SharedHTTPClient.collect(response.body, upTo: Self.maxBodySize, by: deadline)
                var fields: [String: String] = [:]
                for (name, value) in response.headers {
                    let key = name.lowercased()
                    fields[key] = fields[key].map { "\($0), \(value)" } ?? value
                }
                let status = Int(response.status.code)
                let result = Response(status: status, body: Data(buffer.readableBytesView), headers: fields)
                guard HTTPRetryPolicy.isRetryable(status: status), attempt < retry.attempts else { return result }
                wait = Self.retryAfter(fields["retry-after"], cap: retry.maxRetryAfter) ?? jittered(retry.backoff(retry: attempt))
                log(
                    "\(method) \(Self.display(url)): HTTP \(status); retrying in \(DurationText.format(wait)) (attempt \(attempt + 1) of \(retry.attempts))"
                )
            } catch is NIOTooManyBytesError {
                throw TransportFailure(message: "\(method) \(Self.display(url)): the response is larger than \(Self.maxBodySize >> 20) MiB")
            } catch {
                let failure = SharedHTTPClient.classify(error)
                if failure == .cancelled { throw CancellationError() }
                let reason = failure.description
                guard attempt < retry.attempts else {
                    throw TransportFailure(message: "\(method) \(Self.display(url)): \(reason) (after \(attempt) attempts)")
                }
                wait = jittered(retry.backoff(retry: attempt))
                log(
                    "\(method) \(Self.display(url)): \(reason); retrying in \(DurationText.format(wait)) (attempt \(attempt + 1) of \(retry.attempts))"
                )
            }
            if wait > .zero { try await Task.sleep(for: wait) }
        }
    }

    private func jittered(_ d: Duration) -> Duration {
        d + d * Double.random(in: 0..<0.25)
    }

    /// `Retry-After` as a delay: delta-seconds or an HTTP date (IMF-fixdate), capped; nil when
    /// absent or unreadable.
    static func retryAfter(_ value: String?, cap: Duration, now: Date = Date()) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Int(value), seconds >= 0 { return min(cap, .seconds(seconds)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        guard let date = formatter.date(from: value) else { return nil }
        let seconds = max(0, date.timeIntervalSince(now))
        return min(cap, .milliseconds(Int64(seconds * 1000)))
    }

    /// The URL without user info, for messages.
    static func display(_ url: URL) -> String {
        guard var parts = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return "<url>" }
        parts.user = nil
        parts.password = nil
        return parts.string ?? "<url>"
    }

    /// Largest response body accepted, in bytes (256 MiB: a batch of embeddings or a search
    /// answer is far smaller).
    static let maxBodySize = 256 << 20
}
