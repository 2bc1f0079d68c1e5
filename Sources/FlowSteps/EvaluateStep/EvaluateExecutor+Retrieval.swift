import FlowCore
import FlowEngine
import Foundation

extension EvaluateExecutor {
    /// What the retrieval half of a step measured.
    struct RetrievalOutcome: Sendable {
        /// The collection searched (an alias resolved).
        var collection: String
        /// `GoldSet.contentHash` of the gold set.
        var goldSetHash: String
        /// Queries searched: those of the gold set with judgements.
        var queryCount: Int
        var depth: Int
        var results: [RetrievalMode: RetrievalEvaluation.Result]
        /// TREC run file per mode.
        var runFiles: [RetrievalMode: String]
    }

    /// Searches the gold set's judged queries in every mode and evaluates the runs; writes one
    /// TREC run file per mode (`<folder>/<mode>.run`).
    /// - Throws: a `StepFailure` for an unreadable gold set, a missing collection, an embedder
    ///   whose vectors do not fit the collection, or a failed search.
    func evaluateRetrieval(
        plan: EvaluationPlan, gold: EvaluationPlan.GoldSource, invocation: StepInvocation, folder: String
    ) async throws -> RetrievalOutcome {
        let goldSet = try gold.load()
        let judged = goldSet.queries.filter { goldSet.qrels.judgements[$0.id] != nil }
        guard !judged.isEmpty else {
            throw StepFailure("evaluate: no query of the \(gold) has judgements", permanent: true)
        }
        let asked = Set(goldSet.queries.map(\.id))
        let unasked = goldSet.qrels.judgements.keys.filter { !asked.contains($0) }.count
        if unasked > 0 {
            invocation.log.write("evaluate: \(unasked) judged queries have no query text and are not evaluated")
        }
        if judged.count < goldSet.queries.count {
            invocation.log.write("evaluate: \(goldSet.queries.count - judged.count) queries without judgements are skipped")
        }
        let store = try plan.store.open(kind: "evaluate", log: invocation.log)
        let name = plan.collection!
        do {
            guard let info = try await store.collectionInfo(name) else {
                throw StepFailure("evaluate: no collection or alias '\(name)' in the \(plan.store)", permanent: true)
            }
            var vectors: [[Float]]?
            if plan.modes.contains(where: \.needsEmbedding) {
                let embedder = try plan.embedder.makeEmbedder(log: invocation.log)
                let embedded = try await embedder.embed(judged.map(\.text))
                if let wrong = embedded.first(where: { $0.count != info.dimension }) {
                    throw StepFailure(
                        "evaluate: the queries' embedder (\(plan.embedder)) gives vectors of \(wrong.count) values but collection "
                            + "'\(info.name)' has dimension \(info.dimension): give 'embed' the same settings as the embed step",
                        permanent: true)
                }
                vectors = embedded
            }
            let retriever = StoreRetriever(
                store: store, collection: info.name, depth: plan.depth, documentKey: plan.documentKey,
                baseFolder: invocation.workingDirectory)
            var results: [RetrievalMode: RetrievalEvaluation.Result] = [:]
            var runFiles: [RetrievalMode: String] = [:]
            for mode in plan.modes {
                let run = try await retriever.run(judged, mode: mode, vectors: vectors, passageCount: info.pointCount)
                let path = (folder as NSString).appendingPathComponent("\(mode.rawValue).run")
                do {
                    try Self.trecRunText(run, order: judged.map(\.id)).write(toFile: path, atomically: true, encoding: .utf8)
                } catch {
                    throw StepFailure("evaluate: cannot write \(path): \((error as NSError).localizedDescription)")
                }
                runFiles[mode] = path
                results[mode] = RetrievalEvaluation.evaluate(qrels: goldSet.qrels, run: run, metrics: plan.metrics)
            }
            return RetrievalOutcome(
                collection: info.name, goldSetHash: goldSet.contentHash, queryCount: judged.count, depth: plan.depth,
                results: results, runFiles: runFiles)
        } catch let error as VectorStoreError {
            throw error.stepFailure(kind: "evaluate")
        }
    }

    /// A run as TREC run lines (`query Q0 document rank score tag`), queries in `order`, each
    /// query's documents by score descending (ties by document id descending, trec_eval's
    /// order) with 1-based ranks.
    static func trecRunText(_ run: RetrievalRun, order: [String]) -> String {
        var out = ""
        let tag = run.tag ?? "flow"
        for query in order {
            let ranked = (run.rankings[query] ?? []).sorted {
                $0.score != $1.score ? $0.score > $1.score : $1.documentID.utf8.lexicographicallyPrecedes($0.documentID.utf8)
            }
            for (index, entry) in ranked.enumerated() {
                out += "\(query) Q0 \(entry.documentID) \(index + 1) \(entry.score) \(tag)\n"
            }
        }
        return out
    }
}

extension GoldSet {
    /// SHA-256 (hex) of the queries (id and text, in order) and the judgements (sorted): equal
    /// for two gold sets with the same questions and grades, whatever files they came from.
    var contentHash: String {
        var hasher = SHA256()
        for query in queries { hasher.update("q\t\(query.id)\t\(query.text)\n") }
        for query in qrels.judgements.keys.sorted() {
            for (document, grade) in qrels.judgements[query]!.sorted(by: { $0.key < $1.key }) {
                hasher.update("j\t\(query)\t\(document)\t\(grade)\n")
            }
        }
        return SHA256.hex(hasher.finalize())
    }
}
