import AsyncHTTPClient
import FlowSteps
import Foundation
import NIOCore

/// Talks to a running `flow daemon` for `flow run --daemon` and `flow cancel --daemon`: one
/// HTTP request, the bearer token from `$FLOW_TOKEN`, errors in the daemon's one JSON shape
/// turned into the CLI's exit statuses.
struct DaemonClient {
    let base: URL
    let token: String?

    /// - Throws: `CLIFailure` `.usage` when `url` is not an http(s) URL.
    init(_ url: String, environment: [String: String]) throws {
        guard let base = URL(string: url.hasSuffix("/") ? String(url.dropLast()) : url), ["http", "https"].contains(base.scheme ?? "")
        else {
            throw CLIFailure(.usage, "error: --daemon '\(url)' is not an http:// or https:// URL\n")
        }
        self.base = base
        token = environment["FLOW_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// POSTs `body` (JSON) to `path` and returns the decoded JSON object of a 2xx answer.
    /// - Throws: `CLIFailure`: 69 unreachable or refused (401/403/503), 66 not found, 65 invalid
    ///   workflow or parameters, 75 conflict, 70 anything else.
    func post(_ path: String, body: [String: Any]) async throws -> [String: Any] {
        var request = HTTPClientRequest(url: base.appendingPathComponent(path).absoluteString)
        request.method = .POST
        request.headers.replaceOrAdd(name: "Content-Type", value: "application/json")
        if let token { request.headers.replaceOrAdd(name: "Authorization", value: "Bearer \(token)") }
        let json = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])
        request.body = .bytes(ByteBuffer(bytes: json))
        let data: Data
        let status: Int
        let phrase: String
        do {
            let response = try await SharedHTTPClient.following.execute(
                request, deadline: SharedHTTPClient.deadline(after: Self.timeout))
            status = Int(response.status.code)
            phrase = response.status.reasonPhrase.lowercased()
            data = Data(try await response.body.collect(upTo: 64 << 20).readableBytesView)
        } catch {
            let reason = SharedHTTPClient.classify(error)
            throw CLIFailure(.unavailable, "error: cannot reach the daemon at \(base.absoluteString): \(reason)\n")
        }
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        if (200..<300).contains(status) { return object }
        let error = object["error"] as? [String: Any]
        let code = error?["code"] as? String ?? "http-\(status)"
        let message = error?["message"] as? String ?? phrase
        let text = "error: the daemon answered \(status) \(code): \(message)\n"
        switch status {
        case 404: throw CLIFailure(.notFound, text)
        case 422, 400: throw CLIFailure(.invalidInput, text)
        case 409: throw CLIFailure(.tryAgain, text)
        case 401, 403, 503:
            throw CLIFailure(.unavailable, text + (status == 401 && token == nil ? "hint: set FLOW_TOKEN to the daemon's token\n" : ""))
        default: throw CLIFailure(.internalError, text)
        }
    }

    /// The longest one request may take (URLSession's default request timeout, which the
    /// client had before).
    static let timeout: Duration = .seconds(60)

    /// The JSON text of a value, for `--output json`.
    static func json(_ object: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return "{}\n"
        }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
