/// Scores a retrieval run against qrels, reproducing trec_eval 9.x (and so pytrec_eval):
/// the same ranking, the same per-query values and the same means.
///
/// Ranking: a query's documents are sorted by score descending, ties broken by document id
/// descending in byte order (trec_eval's `form_res_rels.c`, `comp_sim_docno`); ranks in the
/// input are ignored. Documents absent from the qrels are not relevant. Queries in the run but
/// not in the qrels are ignored (trec_eval's default). Queries in the qrels but not in the run
/// are either left out of the mean (trec_eval's default) or count as 0 (`trec_eval -c`), see
/// `Averaging`.
public enum RetrievalEvaluation {
    /// Which queries a mean is taken over.
    public enum Averaging: Sendable, Hashable {
        /// Queries in both the qrels and the run (trec_eval's default).
        case evaluatedQueries
        /// All queries in the qrels; those missing from the run count as 0 (`trec_eval -c`).
        case allJudgedQueries
    }

    /// Per-query values and means of the requested metrics.
    public struct Result: Sendable, Equatable {
        /// The metrics asked for, in the order asked, without duplicates.
        public var metrics: [RetrievalMetric]
        /// query id → metric → value in [0, 1], for each query in both the qrels and the run.
        public var perQuery: [String: [RetrievalMetric: Double]]
        /// metric → mean over `queryCount` queries; 0 when `queryCount` is 0.
        public var mean: [RetrievalMetric: Double]
        /// The number of queries the mean divides by (trec_eval's `num_q`).
        public var queryCount: Int
        /// The run's tag, if it had one (trec_eval's `runid`).
        public var runTag: String?
    }

    /// Evaluates `run` against `qrels` on `metrics`.
    ///
    /// Cost: O(n log n) per query for n retrieved documents, plus O(j log j) for j judged.
    public static func evaluate(
        qrels: Qrels, run: RetrievalRun, metrics: [RetrievalMetric],
        averaging: Averaging = .evaluatedQueries
    ) -> Result {
        var unique: [RetrievalMetric] = []
        for metric in metrics where !unique.contains(metric) { unique.append(metric) }

        var perQuery: [String: [RetrievalMetric: Double]] = [:]
        for (query, judged) in qrels.judgements {
            guard let entries = run.rankings[query] else { continue }
            let ranked = QueryRanking(entries: entries, judged: judged)
            var values: [RetrievalMetric: Double] = [:]
            for metric in unique { values[metric] = ranked.value(of: metric) }
            perQuery[query] = values
        }

        let queryCount =
            switch averaging {
            case .evaluatedQueries: perQuery.count
            case .allJudgedQueries: qrels.judgements.count
            }
        // trec_eval accumulates in query-id order (byte order) and then divides once.
        let queryOrder = perQuery.keys.sorted(by: Self.byteOrder)
        var mean: [RetrievalMetric: Double] = [:]
        for metric in unique {
            var sum = 0.0
            for query in queryOrder { sum += perQuery[query]![metric]! }
            mean[metric] = queryCount > 0 ? sum / Double(queryCount) : 0
        }
        return Result(
            metrics: unique, perQuery: perQuery, mean: mean, queryCount: queryCount,
            runTag: run.tag)
    }

    /// `strcmp` order: UTF-8 bytes compared as unsigned.
    static func byteOrder(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }
}
