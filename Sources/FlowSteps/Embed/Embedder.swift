/// Turns texts into vectors: one provider of the `embed` step (`HashEmbedder`,
/// `OpenAIEmbedder`), also used to embed queries for retrieval.
public protocol Embedder: Sendable {
    /// Names the provider, model and dimension, e.g. `hash-v1/384` or
    /// `openai/http://vllm:8000/v1/bge-m3`: the embedding cache keeps vectors per key, so two
    /// embedders with the same key must produce the same vectors.
    var cacheKey: String { get }

    /// One vector per text, in order; all of the same length.
    /// - Throws: `StepFailure` (a failed request, a malformed response), `CancellationError`.
    func embed(_ texts: [String]) async throws -> [[Float]]
}
