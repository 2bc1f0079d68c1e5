public import FlowCore
public import FlowEngine
import FlowStore
import Foundation

/// `uses: embed`: chunks → vectors. Reads `chunks.jsonl` (or a documents file), embeds each
/// text not already in the embedding cache (by SHA-256 of the text, per provider/model/
/// dimension), and writes `<workspace>/embed/vectors.f32` + `vectors.jsonl` (`VectorFiles`).
/// See docs/steps/embed.md.
public struct EmbedExecutor: StepExecutor {
    public init() {}

    /// Texts embedded per round before the new vectors are written to the cache, so that a
    /// failed or cancelled attempt keeps what it already paid for.
    static let cacheRound = 1024

    public let spec = StepKindSpec(
        name: "embed",
        summary: "Embed chunks into vectors (feature hashing built in, or any OpenAI-compatible embeddings API), cached by content hash",
        inputs: [
            .init(
                "chunks", .string,
                "JSONL of chunks ({id, document_id, text, …}) or documents ({id, text, …}); default `<workspace>/chunk/chunks.jsonl`")
        ] + EmbedderSettings.specInputs + [
            .init(
                "cache", .string,
                "Embedding cache file (SQLite); default `embeddings-cache.sqlite` beside the run database, else `.flow/embeddings-cache.sqlite`"
            )
        ],
        outputs: [
            .init("vectors", "Path of vectors.f32: count × dimension little-endian float32, row-major"),
            .init("index", "Path of vectors.jsonl: {id, row, hash, document_id, text, payload} per row"),
            .init("dimension", "Floats per vector"),
            .init("count", "Number of vectors (chunks)"),
            .init("embedded", "Texts sent to the provider in this run"),
            .init("cached", "Chunks whose vector came from the cache"),
        ])

    public func execute(_ invocation: StepInvocation) async throws -> [String: String] {
        let inputs = VectorStepInputs(kind: "embed", invocation.inputs, workingDirectory: invocation.workingDirectory)
        let settings = try EmbedderSettings(inputs: inputs, environment: invocation.environment)
        let embedder = try settings.makeEmbedder(log: invocation.log)
        let chunksPath = try inputs.path("chunks") ?? (invocation.workspace as NSString).appendingPathComponent("chunk/chunks.jsonl")
        let cachePath = try inputs.path("cache") ?? Self.defaultCachePath(invocation)

        let records = try EmbedInput.read(chunksPath, kind: "embed")
        let hashes = records.map { SHA256.hexDigest(of: $0.text) }
        let cache: EmbeddingCache
        do {
            cache = try EmbeddingCache(path: cachePath)
        } catch {
            throw StepFailure("embed: \(error.message)")
        }
        let key = embedder.cacheKey
        var vectorsByHash: [String: [Float]]
        do {
            vectorsByHash = try cache.vectors(model: key, hashes: Array(Set(hashes)))
        } catch {
            throw StepFailure("embed: \(error.message)")
        }
        let cachedCount = hashes.reduce(0) { $0 + (vectorsByHash[$1] == nil ? 0 : 1) }

        // Texts to embed: one per distinct missing hash, in input order.
        var missing: [(hash: String, text: String)] = []
        var queued = Set<String>()
        for (record, hash) in zip(records, hashes) where vectorsByHash[hash] == nil && queued.insert(hash).inserted {
            missing.append((hash, record.text))
        }
        invocation.log.write(
            "embed: \(records.count) chunks from \(chunksPath); \(cachedCount) in the cache, \(missing.count) texts to embed with \(settings)"
        )
        var start = 0
        while start < missing.count {
            let round = Array(missing[start..<min(missing.count, start + Self.cacheRound)])
            let vectors = try await embedder.embed(round.map(\.text))
            guard vectors.count == round.count else {
                throw StepFailure("embed: the provider returned \(vectors.count) vectors for \(round.count) texts")
            }
            let entries = zip(round, vectors).map { (hash: $0.hash, vector: $1) }
            for entry in entries { vectorsByHash[entry.hash] = entry.vector }
            do {
                try cache.store(model: key, entries)
            } catch {
                throw StepFailure("embed: \(error.message)")
            }
            start += round.count
        }

        let dimension = hashes.first.flatMap { vectorsByHash[$0]?.count } ?? settings.dimension ?? (settings.provider == .hash ? 384 : 0)
        var flat: [Float] = []
        flat.reserveCapacity(records.count * dimension)
        var entries: [VectorFiles.Entry] = []
        entries.reserveCapacity(records.count)
        for (row, (record, hash)) in zip(records, hashes).enumerated() {
            let vector = vectorsByHash[hash]!
            guard vector.count == dimension else {
                throw StepFailure("embed: chunk '\(record.id)' has a vector of \(vector.count) values, others \(dimension) (\(key))")
            }
            flat.append(contentsOf: vector)
            entries.append(
                VectorFiles.Entry(
                    id: record.id, row: row, hash: hash, documentID: record.documentID, text: record.text, payload: record.payload))
        }
        let folder = (invocation.workspace as NSString).appendingPathComponent("embed")
        let f32 = (folder as NSString).appendingPathComponent("vectors.f32")
        let index = (folder as NSString).appendingPathComponent("vectors.jsonl")
        do {
            try VectorFiles.write(entries: entries, vectors: flat, dimension: dimension, f32: f32, jsonl: index)
        } catch {
            throw StepFailure("embed: cannot write \(folder): \((error as NSError).localizedDescription)")
        }
        invocation.log.write("embed: wrote \(records.count) vectors of dimension \(dimension) to \(f32)")
        return [
            "vectors": f32, "index": index, "dimension": String(dimension), "count": String(records.count),
            "embedded": String(missing.count), "cached": String(cachedCount),
        ]
    }

    /// `embeddings-cache.sqlite` beside the run database, else `<working dir>/.flow/`.
    static func defaultCachePath(_ invocation: StepInvocation) -> String {
        let folder =
            invocation.databasePath.map { ($0 as NSString).deletingLastPathComponent }
            ?? (invocation.workingDirectory as NSString).appendingPathComponent(".flow")
        return (folder as NSString).appendingPathComponent("embeddings-cache.sqlite")
    }
}
