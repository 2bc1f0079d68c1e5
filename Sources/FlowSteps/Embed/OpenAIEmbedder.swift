import FlowCore
public import FlowEngine
public import Foundation

/// Embeddings from any server speaking OpenAI's embeddings API (OpenAI, vLLM, TEI, Ollama,
/// LiteLLM…): `POST {baseURL}/embeddings` with `{"model", "input": [texts], "encoding_format":
/// "float"}` (+ `"dimensions"` when set), answered by `{"data": [{"index", "embedding"}]}`;
/// vectors are put back in input order by `index` (OpenAI API reference, "Create embeddings").
///
/// Texts are sent in batches of `batchSize`, up to `concurrency` batches at a time; each
/// request is retried on 408/429/5xx, timeouts and connection failures (`HTTPRetryPolicy`,
/// honouring `Retry-After`). The API key goes in `Authorization: Bearer …` and appears in no
/// log line or message.
public struct OpenAIEmbedder: Embedder {
    public var baseURL: URL
    public var model: String
    /// Sent as `dimensions` when set (models that can shorten their vectors); checked against
    /// every returned vector.
    public var dimensions: Int?
    /// Texts per request; ≥ 1.
    public var batchSize: Int
    /// Requests in flight at most; ≥ 1.
    public var concurrency: Int
    var client: JSONHTTPClient

    public init(
        baseURL: URL, model: String, apiKey: String?, dimensions: Int? = nil, batchSize: Int = 64, concurrency: Int = 4,
        retry: HTTPRetryPolicy = HTTPRetryPolicy(), timeout: Duration = .seconds(60), log: StepLog = .discarding
    ) {
        self.baseURL = baseURL
        self.model = model
        self.dimensions = dimensions
        self.batchSize = max(1, batchSize)
        self.concurrency = max(1, concurrency)
        var headers: [String: String] = [:]
        if let apiKey, !apiKey.isEmpty { headers["Authorization"] = "Bearer " + apiKey }
        client = JSONHTTPClient(retry: retry, timeout: timeout, headers: headers) { log.write("embed: " + $0) }
    }

    public var cacheKey: String {
        "openai/\(JSONHTTPClient.display(baseURL))/\(model)" + (dimensions.map { "/\($0)" } ?? "")
    }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        guard !texts.isEmpty else { return [] }
        let batches = stride(from: 0, to: texts.count, by: batchSize).map { $0..<min(texts.count, $0 + batchSize) }
        var results = [[[Float]]?](repeating: nil, count: batches.count)
        try await withThrowingTaskGroup(of: (Int, [[Float]]).self) { group in
            var next = 0
            func start() {
                let index = next
                let batch = Array(texts[batches[index]])
                group.addTask { (index, try await request(batch)) }
                next += 1
            }
            while next < min(concurrency, batches.count) { start() }
            while let (index, vectors) = try await group.next() {
                results[index] = vectors
                if next < batches.count { start() }
            }
        }
        let vectors = results.flatMap { $0! }
        if let first = vectors.first, let mismatch = vectors.first(where: { $0.count != first.count }) {
            throw StepFailure("embed: the server returned vectors of \(first.count) and \(mismatch.count) values for model '\(model)'")
        }
        return vectors
    }

    /// One request for one batch.
    func request(_ texts: [String]) async throws -> [[Float]] {
        let url = baseURL.appendingPathComponent("embeddings")
        var body: [String: ExpressionValue] = [
            "model": .string(model), "input": .array(texts.map { .string($0) }), "encoding_format": .string("float"),
        ]
        if let dimensions { body["dimensions"] = .number(Double(dimensions)) }
        let response: JSONHTTPClient.Response
        do {
            response = try await client.send("POST", url, body: Data(JSONText.encode(body).utf8))
        } catch let failure as JSONHTTPClient.TransportFailure {
            throw StepFailure("embed: \(failure.message)")
        }
        guard (200..<300).contains(response.status) else {
            let permanent = !HTTPRetryPolicy.isRetryable(status: response.status)
            throw StepFailure(
                "embed: POST \(JSONHTTPClient.display(url)) answered HTTP \(response.status)\(Self.errorDetail(response.body))",
                permanent: permanent)
        }
        return try Self.parse(response.body, count: texts.count, dimensions: dimensions, url: url)
    }

    /// The vectors of an embeddings response, ordered by `index`.
    /// - Throws: `StepFailure` when the body is not the documented shape, an index is missing or
    ///   repeated, or a vector is empty, of the wrong length or not finite.
    static func parse(_ body: Data, count: Int, dimensions: Int?, url: URL) throws(StepFailure) -> [[Float]] {
        let source = "the response of POST \(JSONHTTPClient.display(url))"
        let decoded: EmbeddingsResponse
        do {
            decoded = try JSONDecoder().decode(EmbeddingsResponse.self, from: body)
        } catch {
            throw StepFailure("embed: \(source) is not an embeddings list ({\"data\": [{\"index\", \"embedding\"}]})")
        }
        var vectors = [[Float]?](repeating: nil, count: count)
        for item in decoded.data {
            guard item.index >= 0, item.index < count, vectors[item.index] == nil else {
                throw StepFailure("embed: \(source) has an unexpected or repeated index \(item.index) for \(count) inputs")
            }
            guard !item.embedding.isEmpty, item.embedding.allSatisfy(\.isFinite) else {
                throw StepFailure("embed: \(source) has an empty or non-finite embedding at index \(item.index)")
            }
            if let dimensions, item.embedding.count != dimensions {
                throw StepFailure("embed: \(source) has \(item.embedding.count) values at index \(item.index); expected \(dimensions)")
            }
            vectors[item.index] = item.embedding
        }
        if let missing = vectors.firstIndex(where: { $0 == nil }) {
            throw StepFailure("embed: \(source) has no embedding for input \(missing)")
        }
        return vectors.map { $0! }
    }

    /// `: <message>` from an OpenAI-style error body (`{"error": {"message"}}`), or the start of
    /// the body; empty when there is nothing readable.
    static func errorDetail(_ body: Data) -> String {
        if let e = try? JSONDecoder().decode(ErrorResponse.self, from: body), let message = e.error.message {
            return ": " + String(message.prefix(300))
        }
        let text = String(decoding: body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "" : ": " + text
    }

    private struct EmbeddingsResponse: Decodable {
        struct Item: Decodable {
            var index: Int
            var embedding: [Float]
        }
        var data: [Item]
    }

    private struct ErrorResponse: Decodable {
        struct Detail: Decodable { var message: String? }
        var error: Detail
    }
}
