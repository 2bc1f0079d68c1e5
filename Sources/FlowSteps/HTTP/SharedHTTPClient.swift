public import AsyncHTTPClient
public import NIOCore
import NIOPosix

/// The process's HTTP clients: AsyncHTTPClient on SwiftNIO's process-wide event loop group
/// (`HTTPClient.defaultEventLoopGroup`, NIO's singleton group, one thread per core), each
/// created on first use and never shut down, so that connections are pooled across steps and
/// waiting for an answer costs no CPU (epoll, not a polling thread as URLSession has on Linux).
///
/// Both clients: no cookies, no cache, no decompression (no `Accept-Encoding` is sent), TLS with
/// full certificate verification, 8 connections per host (a soft limit), and a connection that
/// cannot be made fails the request at once (no silent reconnecting until the deadline).
/// Timeouts are per request: `execute(_:deadline:)` with `deadline(after:)`.
public enum SharedHTTPClient {
    /// Follows redirects, at most 16 hops and never in a cycle (as URLSession did): health
    /// checks, qdrant, OpenAI-compatible servers, the daemon's API.
    public static let following = make(redirects: .follow(max: 16, allowCycles: false))

    /// Never follows redirects: the crawler decides for each `Location` whether it stays on the site.
    static let direct = make(redirects: .disallow)

    private static func make(redirects: HTTPClient.Configuration.RedirectConfiguration) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = redirects
        configuration.decompression = .disabled
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 8
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// The deadline of a request that may take `timeout` from now.
    public static func deadline(after timeout: Duration) -> NIODeadline {
        let (seconds, attoseconds) = timeout.components
        return .now() + .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// Collects a response body of at most `maxBytes` bytes that must be complete by `deadline`:
    /// the deadline given to `execute(_:deadline:)` covers only the response head, so a body
    /// trickling in byte by byte would otherwise keep the request alive for as long as it lasts.
    ///
    /// Races the collection against a sleep until `deadline` in a task group and cancels the
    /// loser. Cancelling the collection fails AsyncHTTPClient's transaction (the body stream's
    /// cancellation handler ends it), which cancels the request and closes its connection.
    /// - Parameters:
    ///   - body: the body of a response `execute(_:deadline:)` returned.
    ///   - maxBytes: the largest body accepted, in bytes.
    ///   - deadline: when the whole body must have arrived (use the request's own deadline).
    /// - Returns: the whole body.
    /// - Throws: `HTTPClientError.deadlineExceeded` when `deadline` passes first (`classify`
    ///   sorts it as `.timedOut`, as a late response head); `NIOTooManyBytesError` when the body
    ///   is longer than `maxBytes`; `CancellationError` when the task is cancelled; the body
    ///   stream's own errors (a lost connection).
    public static func collect(
        _ body: HTTPClientResponse.Body, upTo maxBytes: Int, by deadline: NIODeadline
    ) async throws -> ByteBuffer {
        try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask { try await body.collect(upTo: maxBytes) }
            group.addTask {
                let remaining = (deadline - .now()).nanoseconds
                if remaining > 0 { try await Task.sleep(for: .nanoseconds(remaining)) }
                return nil
            }
            defer { group.cancelAll() }
            // The first child to finish decides; `nil` is the deadline's sleep.
            if let buffer = try await group.next() ?? nil { return buffer }
            throw HTTPClientError.deadlineExceeded
        }
    }

    /// Why a request got no response, sorted for messages and retry decisions.
    public enum Failure: Sendable, Equatable, CustomStringConvertible {
        /// The deadline passed (connecting, or waiting for the answer).
        case timedOut
        /// Nothing listens on the port (ECONNREFUSED).
        case refused
        /// The host name does not resolve.
        case unknownHost
        /// The connection closed or reset before the response was complete.
        case connectionLost
        /// The task was cancelled.
        case cancelled
        /// Anything else, in words.
        case other(String)

        /// In words, for messages: `timed out`, `connection refused`, ….
        public var description: String {
            switch self {
            case .timedOut: "timed out"
            case .refused: "connection refused"
            case .unknownHost: "unknown host"
            case .connectionLost: "connection lost"
            case .cancelled: "cancelled"
            case .other(let text): text
            }
        }

        /// Worth retrying: timeouts, refused, reset or closed connections.
        public var isTransient: Bool {
            switch self {
            case .timedOut, .refused, .connectionLost, .unknownHost: true
            case .cancelled, .other: false
            }
        }
    }

    /// Sorts an error thrown by `HTTPClient.execute` or by reading a response body.
    public static func classify(_ error: any Error) -> Failure {
        if error is CancellationError { return .cancelled }
        if let error = error as? HTTPClientError {
            switch error {
            case .cancelled: return .cancelled
            case .deadlineExceeded, .connectTimeout, .readTimeout, .writeTimeout, .socksHandshakeTimeout,
                .httpProxyHandshakeTimeout, .tlsHandshakeTimeout, .getConnectionFromPoolTimeout:
                return .timedOut
            case .remoteConnectionClosed, .bodyLengthMismatch: return .connectionLost
            default: return .other(String(describing: error))
            }
        }
        if let error = error as? NIOConnectionError {
            for attempt in error.connectionErrors {
                let failure = classify(attempt.error)
                if case .other = failure { continue }
                return failure
            }
            return error.connectionErrors.isEmpty ? .unknownHost : .other("cannot connect to \(error.host):\(error.port)")
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED: return .refused
            case ECONNRESET, EPIPE: return .connectionLost
            case ETIMEDOUT: return .timedOut
            default: return .other(error.description)
            }
        }
        if error is ChannelError { return .connectionLost }
        return .other(String(describing: error))
    }
}
