public import FlowCore
public import FlowEngine
import Foundation

/// Which vector store a step talks to, read from its inputs (`store`, `path`, `url`,
/// `api_key`, `timeout`, `retries`): shared by `upsert`, `evaluate` and `promote`, so that
/// the same inputs reach the same store.
public struct VectorStoreSettings: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        case sqlite
        case qdrant
    }

    public var kind: Kind
    /// `sqlite`: the file; default `.flow/vectors.sqlite` in the working directory.
    public var path: String
    /// `qdrant`: the server root; default `$QDRANT_URL`.
    public var url: String?
    /// `qdrant`: the `api-key` header; default `$QDRANT_API_KEY`. Never logged.
    public var apiKey: String?
    public var timeout: Duration
    public var retries: Int

    /// The inputs these settings read, for a kind's `StepKindSpec`.
    public static let specInputs: [StepKindSpec.Input] = [
        .init(
            "store", .oneOf(Kind.allCases.map(\.rawValue)), default: .string("sqlite"),
            "`sqlite` (embedded: a SQLite file) or `qdrant` (a Qdrant server's REST API)"),
        .init("path", .string, "`sqlite`: the store file (default `.flow/vectors.sqlite` in the working directory)"),
        .init("url", .string, "`qdrant`: the server, e.g. `http://qdrant:6333` (default `$QDRANT_URL`)"),
        .init("api_key", .string, "`qdrant`: API key, e.g. `${{ secrets.QDRANT_API_KEY }}` (default `$QDRANT_API_KEY`); never logged"),
        .init("timeout", .duration, default: .string("60s"), "`qdrant`: timeout of one request"),
        .init(
            "retries", .int, default: .number(5),
            "`qdrant`: retries of a request after HTTP 408/429/5xx, timeouts or connection failures (0–20)"),
    ]

    /// Reads the settings.
    /// - Throws: a permanent `StepFailure` for a bad value, or `qdrant` without a URL.
    public init(inputs: VectorStepInputs, environment: [String: String]) throws(StepFailure) {
        kind = Kind(rawValue: try inputs.choice("store", Kind.allCases.map(\.rawValue), default: "sqlite"))!
        path = try inputs.path("path") ?? inputs.resolve(".flow/vectors.sqlite")
        url = try inputs.string("url") ?? environment["QDRANT_URL"].flatMap { $0.isEmpty ? nil : $0 }
        apiKey = try inputs.string("api_key") ?? environment["QDRANT_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        timeout = try inputs.duration("timeout") ?? .seconds(60)
        retries = try inputs.int("retries", in: 0...20) ?? 5
        if kind == .qdrant, url == nil {
            throw StepFailure("\(inputs.kind): store 'qdrant' needs input 'url' or $QDRANT_URL", permanent: true)
        }
    }

    /// Opens the store; `log` receives retry lines of a remote store.
    /// - Throws: a `StepFailure` when the file cannot be opened or the URL is not http(s).
    public func open(kind stepKind: String, log: StepLog = .discarding, batchSize: Int = 256) throws(StepFailure) -> any VectorStore {
        switch kind {
        case .sqlite:
            do {
                return try SQLiteVectorStore(path: path)
            } catch {
                throw StepFailure("\(stepKind): \(error.message)")
            }
        case .qdrant:
            guard let text = url, let parsed = URL(string: text), let scheme = parsed.scheme, ["http", "https"].contains(scheme),
                parsed.host != nil
            else {
                throw StepFailure("\(stepKind): the Qdrant URL must be an http(s) URL", permanent: true)
            }
            return QdrantVectorStore(
                url: parsed, apiKey: apiKey, batchSize: batchSize, timeout: timeout, retry: HTTPRetryPolicy(attempts: retries + 1)
            ) { log.write("\(stepKind): " + $0) }
        }
    }
}

extension VectorStoreSettings: CustomStringConvertible {
    /// The settings without the API key.
    public var description: String {
        switch kind {
        case .sqlite: "sqlite store \(path)"
        case .qdrant: "qdrant store \(url.flatMap(URL.init(string:)).map(JSONHTTPClient.display) ?? "?")"
        }
    }
}
