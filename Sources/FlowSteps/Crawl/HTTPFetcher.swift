import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One HTTP GET at a time per call, through URLSession (libcurl on Linux), with redirects
/// NOT followed (the crawler decides whether a `Location` stays on the site), no cookies,
/// no cache (validators are sent explicitly), and a cap on body size.
final class HTTPFetcher: NSObject, URLSessionDataDelegate, Sendable {
    /// A complete response (any status, including 3xx and 304).
    struct Response: Sendable {
        var status: Int
        /// Header names lowercased.
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

    private struct Transfer {
        var continuation: CheckedContinuation<Response, any Error>
        var response: HTTPURLResponse?
        var body: [UInt8] = []
        var tooLarge = false
    }

    /// Largest body accepted, in bytes; larger responses fail.
    let maxBodySize: Int
    private let transfers = Mutex<[Int: Transfer]>([:])
    private let sessionBox = Mutex<URLSession?>(nil)

    /// - Parameters:
    ///   - timeout: the longest one request may take, body included.
    ///   - maxBodySize: bytes; 32 MiB by default.
    init(timeout: Duration, maxBodySize: Int = 32 << 20) {
        self.maxBodySize = maxBodySize
        super.init()
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = seconds
        configuration.timeoutIntervalForResource = seconds
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalAndRemoteCacheData
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        configuration.httpMaximumConnectionsPerHost = 8
        let session = URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
        sessionBox.withLock { $0 = session }
    }

    /// Ends the session; pending requests fail. Call once, after the last `get`.
    func close() {
        sessionBox.withLock { session in
            session?.invalidateAndCancel()
            session = nil
        }
    }

    /// GETs `url` with `headers`.
    /// - Throws: `Failure` when no complete response arrived; `CancellationError` when the
    ///   task is cancelled.
    func get(_ url: URL, headers: [String: String]) async throws -> Response {
        guard let session = sessionBox.withLock({ $0 }) else {
            throw Failure(message: "the HTTP session is closed", transient: false)
        }
        var request = URLRequest(url: url)
        request.httpMethod = "GET"
        request.cachePolicy = .reloadIgnoringLocalAndRemoteCacheData
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let task = session.dataTask(with: request)
        let id = task.taskIdentifier
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                transfers.withLock { $0[id] = Transfer(continuation: continuation) }
                if Task.isCancelled {
                    task.cancel()
                } else {
                    task.resume()
                }
            }
        } onCancel: {
            task.cancel()
        }
    }

    // MARK: URLSessionDataDelegate

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        transfers.withLock { $0[dataTask.taskIdentifier]?.response = response as? HTTPURLResponse }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let cancel = transfers.withLock { transfers -> Bool in
            guard var transfer = transfers[dataTask.taskIdentifier], !transfer.tooLarge else { return false }
            if transfer.body.count + data.count > maxBodySize {
                transfer.tooLarge = true
                transfer.body = []
                transfers[dataTask.taskIdentifier] = transfer
                return true
            }
            transfers[dataTask.taskIdentifier] = nil
            transfer.body.append(contentsOf: data)
            transfers[dataTask.taskIdentifier] = transfer
            return false
        }
        if cancel { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        guard let transfer = transfers.withLock({ $0.removeValue(forKey: task.taskIdentifier) }) else { return }
        if transfer.tooLarge {
            transfer.continuation.resume(
                throwing: Failure(message: "the response is larger than \(maxBodySize >> 20) MiB", transient: false))
            return
        }
        if let error {
            let nsError = error as NSError
            if nsError.domain == NSURLErrorDomain, nsError.code == NSURLErrorCancelled {
                transfer.continuation.resume(throwing: CancellationError())
                return
            }
            let transient =
                nsError.domain == NSURLErrorDomain
                && [
                    NSURLErrorTimedOut, NSURLErrorCannotConnectToHost, NSURLErrorNetworkConnectionLost,
                    NSURLErrorNotConnectedToInternet, NSURLErrorDNSLookupFailed, NSURLErrorCannotFindHost,
                ].contains(nsError.code)
            transfer.continuation.resume(throwing: Failure(message: error.localizedDescription, transient: transient))
            return
        }
        guard let response = transfer.response ?? (task.response as? HTTPURLResponse) else {
            transfer.continuation.resume(throwing: Failure(message: "no HTTP response", transient: true))
            return
        }
        var headers: [String: String] = [:]
        for (key, value) in response.allHeaderFields {
            if let k = key as? String, let v = value as? String { headers[k.lowercased()] = v }
        }
        transfer.continuation.resume(returning: Response(status: response.statusCode, headers: headers, body: transfer.body))
    }
}
