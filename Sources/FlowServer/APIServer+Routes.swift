import FlowCore
import Foundation
import Hummingbird
import NIOCore

extension APIServer {
    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/healthz") { _, _ in
            Self.json(APIBody.HealthJSON(status: "ok"))
        }
        router.get("/metrics") { _, _ in
            var headers: HTTPFields = [:]
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
        }
        let api = router.group("/api/v1")
        api.get("/workflows") { _, _ in
            let list = await workflows.workflows().sorted { $0.name < $1.name }
            return Self.json(APIBody.WorkflowsJSON(workflows: list.map(APIBody.WorkflowJSON.init)))
        }
        api.get("/runs") { request, _ in
            let query = request.uri.queryParameters
            let workflow = query["workflow"].map { WorkflowName(String($0)) }
            var status: RunStatus?
            if let text = query["status"] {
                guard let value = RunStatus(rawValue: String(text)) else {
                    throw APIError(
                        .badRequest,
                        "unknown status '\(text)'; expected one of \(RunStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                status = value
            }
            let limit = try Self.integer(query["limit"], name: "limit", default: 50, range: 1...1000)
            let runs = try await history.runs(workflow: workflow, status: status, limit: limit)
            return Self.json(APIBody.RunsJSON(runs: runs.map(APIBody.RunJSON.init)))
        }
        api.get("/runs/:id") { _, context in
            let id = try context.parameters.require("id")
            return Self.json(APIBody.RunDetailJSON(try await history.run(id)))
        }
        api.get("/runs/:id/logs") { request, context in
            let id = try context.parameters.require("id")
            let query = request.uri.queryParameters
            let run = try await history.run(id).run.id
            let after = Int64(try Self.integer(query["after"], name: "after", default: 0, range: 0...Int.max))
            let limit = try Self.integer(query["limit"], name: "limit", default: 10_000, range: 1...100_000)
            let follow = try Self.boolean(query["follow"], name: "follow")
            return logsResponse(run: run, after: after, limit: limit, follow: follow)
        }
        api.post("/workflows/:name/runs") { request, context in
            try authorize(request)
            let name = try context.parameters.require("name")
            var request = request
            let body = try await request.collectBody(upTo: configuration.maximumBodyBytes)
            let params = try Self.params(from: body)
            let run = try await commands.trigger(name, params: params)
            var headers: HTTPFields = [:]
            headers[.location] = "/api/v1/runs/\(run.id)"
            return Self.json(APIBody.RunEnvelope(run: APIBody.RunJSON(run)), status: .accepted, headers: headers)
        }
        api.post("/runs/:id/cancel") { request, context in
            try authorize(request)
            let id = try context.parameters.require("id")
            let (run, effect) = try await commands.cancel(id)
            return Self.json(APIBody.CancelJSON(run: APIBody.RunJSON(run), effect: effect.rawValue), status: .accepted)
        }
    }

    /// - Throws: `APIError` `.forbidden` when no token is configured, `.unauthorized` when the
    ///   header is missing or wrong.
    func authorize(_ request: Request) throws(APIError) {
        guard let token = configuration.token else {
            throw APIError(.forbidden, "mutating endpoints are off: start the daemon with --token-file or $FLOW_TOKEN")
        }
        guard token.accepts(header: request.headers[.authorization]) else {
            throw APIError(.unauthorized, "missing or wrong bearer token (Authorization: Bearer <token>)")
        }
    }

    /// NDJSON, one log line per line; with `follow`, the response stays open and carries new
    /// lines until the run has finished and every line is sent.
    func logsResponse(run: RunID, after: Int64, limit: Int, follow: Bool) -> Response {
        let history = history, interval = configuration.followInterval
        var headers: HTTPFields = [:]
        headers[.contentType] = "application/x-ndjson"
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                var cursor = after
                var sent = 0
                while true {
                    // Read the status before the lines: once it is final, the lines read next
                    // are all there will ever be (the recorder writes the end of the run last).
                    let finished = follow ? try await history.status(of: run).isFinal : true
                    let batch = min(1000, follow ? 1000 : limit - sent)
                    let lines = batch > 0 ? try await history.logs(of: run, after: cursor, limit: batch) : []
                    if !lines.isEmpty {
                        var bytes: [UInt8] = []
                        for line in lines {
                            bytes += APIBody.encode(APIBody.LogLineJSON(line))
                            bytes.append(0x0A)
                        }
                        try await writer.write(ByteBuffer(bytes: bytes))
                        cursor = lines[lines.count - 1].sequence
                        sent += lines.count
                    }
                    if lines.count == batch && batch > 0 { continue }
                    if finished || !follow { break }
                    try await Task.sleep(for: interval)
                }
                try await writer.finish(nil)
            })
    }

    // MARK: Parsing

    static func integer(_ text: Substring?, name: String, default value: Int, range: ClosedRange<Int>) throws(APIError) -> Int {
        guard let text else { return value }
        guard let n = Int(text), range.contains(n) else {
            throw APIError(.badRequest, "'\(name)' must be an integer from \(range.lowerBound) to \(range.upperBound), got '\(text)'")
        }
        return n
    }

    static func boolean(_ text: Substring?, name: String) throws(APIError) -> Bool {
        switch text {
        case nil, "false", "0": return false
        case "true", "1", "": return true
        default: throw APIError(.badRequest, "'\(name)' must be true or false, got '\(text!)'")
        }
    }

    /// `{"params": {"name": value}}` (or an empty body): strings as they are, numbers and
    /// booleans as their JSON text; the workflow's declarations type them.
    static func params(from body: ByteBuffer) throws(APIError) -> [String: String] {
        let bytes = Array(body.readableBytesView)
        guard bytes.contains(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) else { return [:] }
        do {
            return try JSONDecoder().decode(TriggerBody.self, from: Data(bytes)).params
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError(
                .badRequest, #"the body must be a JSON object such as {"params": {"name": "value"}} with string, number or boolean values"#)
        }
    }
}

/// The body of `POST /api/v1/workflows/{name}/runs`.
struct TriggerBody: Decodable {
    var params: [String: String] = [:]

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let top = try decoder.container(keyedBy: Key.self)
        if let unknown = top.allKeys.first(where: { $0.stringValue != "params" }) {
            throw APIError(.badRequest, "unknown key '\(unknown.stringValue)' in the body; expected only 'params'")
        }
        guard top.contains(Key(stringValue: "params")) else { return }
        let values = try top.nestedContainer(keyedBy: Key.self, forKey: Key(stringValue: "params"))
        for key in values.allKeys {
            if let s = try? values.decode(String.self, forKey: key) {
                params[key.stringValue] = s
            } else if let b = try? values.decode(Bool.self, forKey: key) {
                params[key.stringValue] = b ? "true" : "false"
            } else if let i = try? values.decode(Int64.self, forKey: key) {
                params[key.stringValue] = String(i)
            } else if let d = try? values.decode(Double.self, forKey: key) {
                params[key.stringValue] = String(d)
            } else {
                throw APIError(.badRequest, "parameter '\(key.stringValue)' must be a string, a number or a boolean")
            }
        }
    }
}
