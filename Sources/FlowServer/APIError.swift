/// An API failure: a stable code, a message for people, and the HTTP status it is sent with.
/// Every error response has one JSON shape, `{"error":{"code":"…","message":"…"}}`; clients
/// match on `code`, nobody parses `message`. Messages never contain secrets.
public struct APIError: Error, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// 400: a malformed query parameter, path or body.
        public static let badRequest = Code(rawValue: "bad-request")
        /// 401: no bearer token, or the wrong one, on a mutating endpoint.
        public static let unauthorized = Code(rawValue: "unauthorized")
        /// 403: mutating endpoints are off because the daemon has no token configured.
        public static let forbidden = Code(rawValue: "forbidden")
        /// 404: no such route, workflow or run.
        public static let notFound = Code(rawValue: "not-found")
        /// 405: the route exists but not with this method.
        public static let methodNotAllowed = Code(rawValue: "method-not-allowed")
        /// 409: the run is already finished (cancel), or is not run by this daemon.
        public static let conflict = Code(rawValue: "conflict")
        /// 413: the request body is larger than allowed.
        public static let tooLarge = Code(rawValue: "too-large")
        /// 422: the workflow does not load (no valid version), parameters are wrong, or a
        /// secret is missing.
        public static let invalidWorkflow = Code(rawValue: "invalid-workflow")
        public static let invalidParams = Code(rawValue: "invalid-params")
        public static let missingSecret = Code(rawValue: "missing-secret")
        /// 503: the daemon is stopping, or the database cannot be reached.
        public static let unavailable = Code(rawValue: "unavailable")
        /// 500: a bug.
        public static let internalError = Code(rawValue: "internal")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }

    /// The HTTP status code sent with `code`.
    public var status: Int {
        switch code {
        case .badRequest: 400
        case .unauthorized: 401
        case .forbidden: 403
        case .notFound: 404
        case .methodNotAllowed: 405
        case .conflict: 409
        case .tooLarge: 413
        case .invalidWorkflow, .invalidParams, .missingSecret: 422
        case .unavailable: 503
        default: 500
        }
    }
}
