import FlowCore
import Foundation
public import Hummingbird
public import Logging
import NIOCore

/// The daemon's HTTP surface (Hummingbird 2): `/healthz`, `/metrics` and the JSON API under
/// `/api/v1` (docs/api.md, docs/openapi.yaml). It only talks to the ports it is given.
public struct APIServer: Sendable {
    /// Where to listen and how to guard the mutating endpoints.
    public struct Configuration: Sendable {
        /// Host to bind; `127.0.0.1` unless the daemon is told otherwise (`--listen`).
        public var host: String
        /// Port; 0 picks a free one (tests).
        public var port: Int
        /// The bearer token for mutating endpoints; nil turns them off (403).
        public var token: BearerToken?
        /// How often `logs?follow=true` looks for new lines while the run goes on.
        public var followInterval: Duration
        /// Largest request body accepted.
        public var maximumBodyBytes: Int

        public init(
            host: String = "127.0.0.1", port: Int = 8080, token: BearerToken? = nil, followInterval: Duration = .milliseconds(250),
            maximumBodyBytes: Int = 1 << 20
        ) {
            self.host = host
            self.port = port
            self.token = token
            self.followInterval = followInterval
            self.maximumBodyBytes = maximumBodyBytes
        }
    }

    public var configuration: Configuration
    public var workflows: any WorkflowDirectory
    public var history: any RunHistory
    public var commands: any RunCommands
    public var metrics: any MetricsSource
    public var logger: Logger

    public init(
        configuration: Configuration, workflows: any WorkflowDirectory, history: any RunHistory, commands: any RunCommands,
        metrics: any MetricsSource, logger: Logger
    ) {
        self.configuration = configuration
        self.workflows = workflows
        self.history = history
        self.commands = commands
        self.metrics = metrics
        self.logger = logger
    }

    /// The server as a service for the daemon's service group; `onListening` receives the bound
    /// host and port once it accepts connections.
    public func makeApplication(onListening: @escaping @Sendable (String, Int) async -> Void = { _, _ in }) -> some ApplicationProtocol {
        let router = Router(context: BasicRequestContext.self)
        addRoutes(to: router)
        let responder = JSONErrorResponder(inner: router.buildResponder(), logger: logger)
        return Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: "flow"),
            onServerRunning: { channel in
                let address = channel.localAddress
                await onListening(address?.ipAddress ?? "?", address?.port ?? 0)
            },
            logger: logger)
    }

    // MARK: Responses

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: APIBody.encode(value))))
    }

    static func error(_ error: APIError) -> Response {
        var headers: HTTPFields = [:]
        if error.code == .unauthorized { headers[.wwwAuthenticate] = #"Bearer realm="flow""# }
        return json(
            APIBody.ErrorEnvelope(error: .init(code: error.code.rawValue, message: error.message)),
            status: HTTPResponse.Status(code: error.status), headers: headers)
    }
}

/// Turns every failure — ours, the router's 404 and 405, a body that is too large — into the one
/// JSON error shape.
struct JSONErrorResponder<Inner: HTTPResponder>: HTTPResponder where Inner.Context == BasicRequestContext {
    let inner: Inner
    let logger: Logger

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        do {
            let response = try await inner.respond(to: request, context: context)
            // The router answers unknown routes, and the errors it catches itself, without a
            // JSON body; ours always have one.
            guard response.status.code >= 400, response.headers[.contentType] != "application/json" else { return response }
            return APIServer.error(Self.apiError(status: response.status, request: request, detail: nil))
        } catch let error as APIError {
            return APIServer.error(error)
        } catch let error as any HTTPResponseError {
            return APIServer.error(Self.apiError(status: error.status, request: request, detail: (error as? HTTPError)?.body))
        } catch {
            logger.error("request failed: \(error)", metadata: ["path": "\(request.uri.path)"])
            return APIServer.error(APIError(.internalError, "internal error"))
        }
    }

    static func apiError(status: HTTPResponse.Status, request: Request, detail: String?) -> APIError {
        switch status.code {
        case 404: APIError(.notFound, "no route \(request.method) \(request.uri.path)")
        case 405: APIError(.methodNotAllowed, "\(request.method) is not allowed on \(request.uri.path)")
        case 413: APIError(.tooLarge, "the request body is too large")
        case 400..<500: APIError(.badRequest, detail ?? status.reasonPhrase)
        default: APIError(.internalError, detail ?? status.reasonPhrase)
        }
    }
}
