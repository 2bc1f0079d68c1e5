import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization

/// HTTP GETs for the crawler through the process's shared AsyncHTTPClient
/// (`SharedHTTPClient.direct`), with redirects NOT followed (the crawler decides whether a
/// `Location` stays on the site), no cookies, no cache (validators are sent explicitly), a
/// timeout per request, body included, and a cap on body size.
final class HTTPFetcher: Sendable {
    /// A complete response (any status, including 3xx and 304).
    struct Response: Sendable {
        var status: Int
        /// Header names lowercased; repeated fields joined with ", ".
        var headers: [String: String]
        var body: [UInt8]

        func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    /// Why no response arrived.
    struct Failure: Error, Sendable, CustomStringConvertible {
        var message: String
        /// Worth retrying (timeouts, refused or reset connections).
        var transient: Bool
        var description: String { message }
    }

    /// Largest body accepted, in bytes; larger responses fail.
    let maxBodySize: Int
    /// The longest one request may take, body included.
    let timeout: Duration
    private let closed = Mutex(false)

    /// - Parameters:
    ///   - timeout: the longest one request may take, body included.
    ///   - maxBodySize: bytes; 32 MiB by default.
    init(timeout: Duration, maxBodySize: Int = 32 << 20) {
        self.timeout = timeout
        self.maxBodySize = maxBodySize
    }

    /// Refuses later requests (the shared client itself stays up). Call once, after the last `get`.
    func close() {
        closed.withLock { $0 = true }
    }

    /// GETs `url` with `headers`.
    /// - Throws: `Failure` when no complete response arrived, transient `timed out` when head
    ///   and body were not both in by `timeout` after the call; `CancellationError` when the
    ///   task is cancelled.
    func get(_ url: URL, headers: [String: String]) async throws -> Response {
        if closed.withLock({ $0 }) {
            throw Failure(message: "the HTTP session is closed", transient: false)
        }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .GET
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        let deadline = SharedHTTPClient.deadline(after: timeout)
        do {
            let response = try await SharedHTTPClient.direct.execute(request, deadline: deadline)
            var fields: [String: String] = [:]
            for (name, value) in response.headers {
                let key = name.lowercased()
                fields[key] = fields[key].map { "\($0), \(value)" } ?? value
            }
            // The head came by the deadline; the body must too (a trickling body times out).
            let buffer = try await SharedHTTPClient.collect(response.body, upTo: maxBodySize, by: deadline)
            return Response(status: Int(response.status.code), headers: fields, body: Array(buffer.readableBytesView))
        } catch is NIOTooManyBytesError {
            throw Failure(message: "the response is larger than \(maxBodySize >> 20) MiB", transient: false)
        } catch {
            let failure = SharedHTTPClient.classify(error)
            if failure == .cancelled { throw CancellationError() }
            throw Failure(message: failure.description, transient: failure.isTransient)
        }
    }
}
