/// Reciprocal rank fusion (Cormack, Clarke and Büttcher, "Reciprocal Rank Fusion outperforms
/// Condorcet and individual Rank Learning Methods", SIGIR 2009):
///
///     RRF(d) = Σ_{lists L containing d} 1 / (k + rank_L(d))
///
/// with 1-based ranks and `k = 60` as in the paper. A hit's payload and document id are taken
/// from the first list that has it.
public enum ReciprocalRankFusion {
    /// The paper's constant.
    public static let defaultK = 60.0

    /// Fuses ranked lists (each best first) into one, best first; equal fused scores are
    /// ordered by id ascending. Returns at most `limit` hits; `limit` ≥ 0.
    public static func fuse(_ lists: [[VectorSearchHit]], k: Double = defaultK, limit: Int) -> [VectorSearchHit] {
        var fused: [String: VectorSearchHit] = [:]
        for list in lists {
            for (index, hit) in list.enumerated() {
                let contribution = 1 / (k + Double(index + 1))
                if var existing = fused[hit.id] {
                    existing.score += contribution
                    fused[hit.id] = existing
                } else {
                    var first = hit
                    first.score = contribution
                    fused[hit.id] = first
                }
            }
        }
        return Array(fused.values.sorted(by: VectorSearchHit.ranksBefore).prefix(limit))
    }
}
