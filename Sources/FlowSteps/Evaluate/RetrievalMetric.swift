/// A retrieval measure, computed as trec_eval 9.x computes the measure named by `trecName`.
///
/// Cutoffs are document counts, `>= 1`. Relevant means grade `>= 1` (trec_eval's default
/// relevance level) for every measure but nDCG, whose gain is the grade itself.
public enum RetrievalMetric: Hashable, Sendable, CustomStringConvertible {
    /// Relevant documents in the top `k` over all relevant documents of the query
    /// (trec_eval `recall_k`; 0 when the query has no relevant document).
    case recall(Int)
    /// Relevant documents in the top `k` over `k`, even when fewer than `k` were retrieved
    /// (trec_eval `P_k`).
    case precision(Int)
    /// nDCG over the top `k` with gain = grade and discount `log2(rank + 1)`, normalised by the
    /// ideal ranking of all judged documents of the query (trec_eval `ndcg_cut_k`).
    case ndcg(Int)
    /// Reciprocal rank of the first relevant document, 0 when none is retrieved
    /// (trec_eval `recip_rank`).
    case mrr
    /// Average precision over all relevant documents of the query (trec_eval `map`).
    case map

    /// Parses a metric name, case-insensitively: `recall@5` (or `r@5`), `precision@5` (or
    /// `p@5`), `ndcg@10`, `mrr` (or `recip_rank`), `map`; trec_eval's names `recall_5`, `P_5`,
    /// `ndcg_cut_10` (also with a dot: `P.5`) are accepted too.
    ///
    /// - Throws: `EvaluationError` `.unknownMetric` for any other name or a cutoff below 1.
    public init(parsing name: String) throws(EvaluationError) {
        let lowered = name.lowercased()
        switch lowered {
        case "mrr", "recip_rank": self = .mrr
        case "map": self = .map
        default:
            let prefixes: [(String, (Int) -> RetrievalMetric)] = [
                ("recall@", Self.recall), ("recall_", Self.recall), ("recall.", Self.recall),
                ("r@", Self.recall),
                ("precision@", Self.precision), ("p@", Self.precision), ("p_", Self.precision),
                ("p.", Self.precision),
                ("ndcg@", Self.ndcg), ("ndcg_cut_", Self.ndcg), ("ndcg_cut.", Self.ndcg),
            ]
            for (prefix, make) in prefixes where lowered.hasPrefix(prefix) {
                if let k = Int(lowered.dropFirst(prefix.count)), k >= 1 {
                    self = make(k)
                    return
                }
                throw EvaluationError(
                    .unknownMetric, "metric '\(name)' needs a cutoff of at least 1, as in '\(prefix)10'")
            }
            throw EvaluationError(
                .unknownMetric,
                "unknown metric '\(name)'; expected recall@k, precision@k, ndcg@k, mrr or map")
        }
    }

    /// The name trec_eval prints: `recall_5`, `P_5`, `ndcg_cut_10`, `recip_rank`, `map`.
    public var trecName: String {
        switch self {
        case .recall(let k): "recall_\(k)"
        case .precision(let k): "P_\(k)"
        case .ndcg(let k): "ndcg_cut_\(k)"
        case .mrr: "recip_rank"
        case .map: "map"
        }
    }

    /// The short name used in workflow inputs and tables: `recall@5`, `precision@5`,
    /// `ndcg@10`, `mrr`, `map`.
    public var description: String {
        switch self {
        case .recall(let k): "recall@\(k)"
        case .precision(let k): "precision@\(k)"
        case .ndcg(let k): "ndcg@\(k)"
        case .mrr: "mrr"
        case .map: "map"
        }
    }

    /// Orders metrics the way trec_eval prints them: `map`, `recip_rank`, `P`, `recall`,
    /// `ndcg_cut` (its measure table order), cutoffs ascending within a measure.
    static func trecOrder(_ lhs: RetrievalMetric, _ rhs: RetrievalMetric) -> Bool {
        lhs.trecSortKey < rhs.trecSortKey
    }

    private var trecSortKey: (Int, Int) {
        switch self {
        case .map: (0, 0)
        case .mrr: (1, 0)
        case .precision(let k): (2, k)
        case .recall(let k): (3, k)
        case .ndcg(let k): (4, k)
        }
    }
}
