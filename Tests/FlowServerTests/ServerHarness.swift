import FlowServer
import Foundation
import Logging
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A real server on 127.0.0.1 (a free port) over the fake backend, and a client for it.
struct ServerHarness {
    let backend: FakeBackend
    let port: Int

    /// Starts the server, runs `body`, stops the server.
    static func with(
        token: String? = "s3cret", _ body: @Sendable (ServerHarness) async throws -> Void
    ) async throws {
        let backend = FakeBackend()
        let server = APIServer(
            configuration: .init(host: "127.0.0.1", port: 0, token: token.flatMap(BearerToken.init), followInterval: .milliseconds(10)),
            workflows: backend, history: backend, commands: backend, metrics: backend, logger: Logger(label: "test"))
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        let app = server.makeApplication { _, port in portSink.yield(port) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            try await body(ServerHarness(backendOverride: backend, port: port))
            group.cancelAll()
        }
    }

    private init(backendOverride: FakeBackend, port: Int) {
        self.backend = backendOverride
        self.port = port
    }

    struct Answer {
        var status: Int
        var headers: [String: String]
        var body: Data
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        var text: String { String(decoding: body, as: UTF8.self) }
        /// The `{"error":{"code","message"}}` shape, or nil when the body is not exactly that.
        var errorCode: String? {
            guard json.count == 1, let error = json["error"] as? [String: Any], error.count == 2,
                let message = error["message"] as? String, !message.isEmpty
            else { return nil }
            return error["code"] as? String
        }
    }

    func request(_ method: String, _ path: String, token: String? = nil, body: String? = nil) async throws -> Answer {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields {
            if let key = key as? String, let value = value as? String { headers[key.lowercased()] = value }
        }
        return Answer(status: http.statusCode, headers: headers, body: data)
    }
}
