public import FlowCore
public import FlowEngine
import Foundation

/// The provider settings of the `embed` step, read from its inputs: also the way other steps
/// (`evaluate`) embed queries exactly as the chunks were embedded — give them the same inputs.
public struct EmbedderSettings: Sendable, Hashable {
    public enum Provider: String, Sendable, CaseIterable {
        case hash
        case openai
    }

    public var provider: Provider
    /// `hash`: the vector length (default 384). `openai`: sent as `dimensions` when set.
    public var dimension: Int?
    /// `openai`: the model name (required).
    public var model: String?
    /// `openai`: default `$OPENAI_BASE_URL`, else `https://api.openai.com/v1`.
    public var baseURL: String
    /// `openai`: default `$OPENAI_API_KEY`; none sends no `Authorization` header.
    public var apiKey: String?
    public var batchSize: Int
    public var concurrency: Int
    /// Retries after the first request of a batch.
    public var retries: Int
    public var timeout: Duration

    /// The inputs these settings read, for a kind's `StepKindSpec`.
    public static let specInputs: [StepKindSpec.Input] = [
        .init(
            "provider", .oneOf(Provider.allCases.map(\.rawValue)), default: .string("hash"),
            "`hash` (embedded feature hashing, no model needed) or `openai` (any OpenAI-compatible embeddings server)"),
        .init("dimension", .int, "Vector length: `hash` default 384; `openai`: sent as `dimensions` (models that support it)"),
        .init("model", .string, "`openai`: the embedding model, e.g. `text-embedding-3-small` or `BAAI/bge-m3`"),
        .init(
            "base_url", .string,
            "`openai`: the API root, e.g. `http://vllm:8000/v1` (default `$OPENAI_BASE_URL`, else https://api.openai.com/v1)"),
        .init("api_key", .string, "`openai`: API key, e.g. `${{ secrets.OPENAI_API_KEY }}` (default `$OPENAI_API_KEY`); never logged"),
        .init("batch_size", .int, default: .number(64), "`openai`: texts per request (1–2048)"),
        .init("concurrency", .int, default: .number(4), "`openai`: requests in flight at most (1–64)"),
        .init(
            "retries", .int, default: .number(5),
            "`openai`: retries of a request after HTTP 408/429/5xx, timeouts or connection failures (0–20)"),
        .init("timeout", .duration, default: .string("60s"), "`openai`: timeout of one request"),
    ]

    /// Reads the settings.
    /// - Throws: a permanent `StepFailure` for a bad value or a missing `model` with `openai`.
    public init(inputs: VectorStepInputs, environment: [String: String]) throws(StepFailure) {
        provider = Provider(rawValue: try inputs.choice("provider", Provider.allCases.map(\.rawValue), default: "hash"))!
        dimension = try inputs.int("dimension", in: 1...65_536)
        model = try inputs.string("model")
        baseURL =
            try inputs.string("base_url") ?? environment["OPENAI_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "https://api.openai.com/v1"
        apiKey = try inputs.string("api_key") ?? environment["OPENAI_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        batchSize = try inputs.int("batch_size", in: 1...2048) ?? 64
        concurrency = try inputs.int("concurrency", in: 1...64) ?? 4
        retries = try inputs.int("retries", in: 0...20) ?? 5
        timeout = try inputs.duration("timeout") ?? .seconds(60)
        if provider == .openai, model == nil {
            throw StepFailure("\(inputs.kind): input 'model' is required with provider 'openai'", permanent: true)
        }
    }

    /// The embedder these settings describe; `log` receives retry lines.
    /// - Throws: a permanent `StepFailure` when `base_url` is not an http(s) URL.
    public func makeEmbedder(log: StepLog = .discarding) throws(StepFailure) -> any Embedder {
        switch provider {
        case .hash:
            return HashEmbedder(dimension: dimension ?? 384)
        case .openai:
            let trimmed = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            guard let url = URL(string: trimmed), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
                throw StepFailure("embed: input 'base_url' must be an http(s) URL, got '\(baseURL)'", permanent: true)
            }
            return OpenAIEmbedder(
                baseURL: url, model: model ?? "", apiKey: apiKey, dimensions: dimension, batchSize: batchSize,
                concurrency: concurrency, retry: HTTPRetryPolicy(attempts: retries + 1), timeout: timeout, log: log)
        }
    }
}

extension EmbedderSettings: CustomStringConvertible {
    /// The settings without the API key.
    public var description: String {
        switch provider {
        case .hash: "hash (dimension \(dimension ?? 384))"
        case .openai: "openai (\(model ?? "?") at \(baseURL)\(apiKey == nil ? "" : ", with API key"))"
        }
    }
}
