public import FlowCore
public import FlowEngine
import Foundation

/// `uses: upsert`: the `embed` step's vectors → a collection of a vector store. A document in
/// the input replaces its points (its chunks that are gone are deleted, the others written
/// again); documents listed in `removed` lose their points; with `prune: true`, every point
/// whose document is not in the input is deleted. See docs/steps/upsert.md.
public struct UpsertExecutor: StepExecutor {
    public init() {}

    /// Points written per call to the store.
    static let writeBatch = 2048
    /// Documents whose stale points are deleted per call to the store.
    static let documentBatch = 500

    public let spec = StepKindSpec(
        name: "upsert",
        summary: "Write embedded chunks into a vector store collection (SQLite built in, or Qdrant), replacing changed documents' points",
        inputs: [
            .init("collection", .string, required: true, "Collection to write, e.g. `docs-${{ run.id }}` (created when missing)"),
            .init("vectors", .string, "vectors.f32 (or vectors.jsonl) from `embed`; default `<workspace>/embed/vectors.f32`"),
            .init(
                "distance", .oneOf(VectorDistance.allCases.map(\.rawValue)), default: .string("cosine"),
                "Similarity of a new collection: `cosine` or `dot`"),
            .init(
                "text_analysis", .oneOf(TextAnalysis.allCases.map(\.rawValue)), default: .string("english"),
                "BM25 terms of a new collection: `english` (stop words, Porter stemmer) or `simple` (lowercase words)"),
            .init("removed", .list(.string), "Documents whose points are deleted (ids; a document also in the input is kept)"),
            .init(
                "prune", .bool, default: .bool(false),
                "Delete the points of every document that is not in the input (refused when the input is empty)"),
            .init("alias", .string, "Point this alias at the collection after writing (without a quality gate; `promote` gates)"),
            .init("batch_size", .int, default: .number(256), "`qdrant`: points per request (1–10000)"),
        ] + VectorStoreSettings.specInputs,
        outputs: [
            .init("collection", "The collection written"),
            .init("upserted", "Points written"),
            .init("deleted", "Points deleted: stale chunks of re-ingested documents, removed and pruned documents"),
            .init("count", "Points in the collection afterwards"),
        ])

    public func execute(_ invocation: StepInvocation) async throws -> [String: String] {
        let inputs = VectorStepInputs(kind: "upsert", invocation.inputs, workingDirectory: invocation.workingDirectory)
        guard let collection = try inputs.string("collection") else {
            throw StepFailure("upsert: input 'collection' is required", permanent: true)
        }
        let given = try inputs.path("vectors") ?? (invocation.workspace as NSString).appendingPathComponent("embed/vectors.f32")
        let f32 = given.hasSuffix(".jsonl") ? VectorFiles.sibling(of: given, extension: "f32") : given
        let index = VectorFiles.sibling(of: f32, extension: "jsonl")
        let distance = VectorDistance(rawValue: try inputs.choice("distance", VectorDistance.allCases.map(\.rawValue), default: "cosine"))!
        let analysis = TextAnalysis(
            rawValue: try inputs.choice("text_analysis", TextAnalysis.allCases.map(\.rawValue), default: "english"))!
        let removed = try inputs.strings("removed")
        let prune = try inputs.bool("prune", default: false)
        let alias = try inputs.string("alias")
        let batchSize = try inputs.int("batch_size", in: 1...10_000) ?? 256
        let settings = try VectorStoreSettings(inputs: inputs, environment: invocation.environment)

        let (entries, vectors, dimension) = try VectorFiles.read(f32: f32, jsonl: index, kind: "upsert")
        let store = try settings.open(kind: "upsert", log: invocation.log, batchSize: batchSize)
        invocation.log.write("upsert: \(entries.count) points from \(f32) into '\(collection)' of the \(settings)")
        do {
            return try await write(
                entries: entries, vectors: vectors, dimension: dimension, collection: collection, distance: distance,
                analysis: analysis, removed: removed, prune: prune, alias: alias, store: store, log: invocation.log)
        } catch let error as VectorStoreError {
            throw error.stepFailure(kind: "upsert")
        }
    }

    private func write(
        entries: [VectorFiles.Entry], vectors: [Float], dimension: Int, collection: String, distance: VectorDistance,
        analysis: TextAnalysis, removed: [String], prune: Bool, alias: String?, store: any VectorStore, log: StepLog
    ) async throws -> [String: String] {
        if !entries.isEmpty {
            try await store.createCollection(collection, dimension: dimension, distance: distance, textAnalysis: analysis)
        } else if try await store.collectionInfo(collection) == nil {
            log.write("upsert: no vectors and no collection '\(collection)': nothing to do")
            return ["collection": collection, "upserted": "0", "deleted": "0", "count": "0"]
        }
        var documents: [String] = []
        var idsOf: [String: [String]] = [:]
        for entry in entries {
            if idsOf[entry.documentID] == nil { documents.append(entry.documentID) }
            idsOf[entry.documentID, default: []].append(entry.id)
        }
        if prune, documents.isEmpty {
            throw StepFailure(
                "upsert: prune: true with no input documents would delete every point of '\(collection)'; refusing", permanent: true)
        }

        var deleted = 0
        let removedOnly = removed.filter { idsOf[$0] == nil }
        if !removedOnly.isEmpty {
            deleted += try await store.delete(.documents(removedOnly), from: collection)
        }
        // Stale chunks of the input's documents, a bounded number of documents per request.
        var first = 0
        while first < documents.count {
            let group = Array(documents[first..<min(documents.count, first + Self.documentBatch)])
            deleted += try await store.delete(.documentsExcept(group, keeping: group.flatMap { idsOf[$0]! }), from: collection)
            first += group.count
        }
        var start = 0
        while start < entries.count {
            let end = min(entries.count, start + Self.writeBatch)
            let points = (start..<end).map { row in
                let e = entries[row]
                return VectorPoint(
                    id: e.id, documentID: e.documentID, vector: Array(vectors[(row * dimension)..<((row + 1) * dimension)]),
                    text: e.text, payload: e.payload)
            }
            try await store.upsert(points, into: collection)
            start = end
        }
        if prune {
            deleted += try await store.delete(.documentsNotIn(documents), from: collection)
        }
        if let alias {
            try await store.setAlias(alias, to: collection)
            log.write("upsert: alias '\(alias)' now serves '\(collection)'")
        }
        let count = try await store.collectionInfo(collection)?.pointCount ?? 0
        log.write("upsert: wrote \(entries.count) points, deleted \(deleted); '\(collection)' holds \(count)")
        return ["collection": collection, "upserted": String(entries.count), "deleted": String(deleted), "count": String(count)]
    }
}
