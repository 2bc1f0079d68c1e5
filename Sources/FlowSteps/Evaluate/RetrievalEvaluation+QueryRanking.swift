import Foundation

extension RetrievalEvaluation {
    /// One query's retrieved documents in trec_eval's rank order, with their grades, plus the
    /// judgement counts the measures need.
    struct QueryRanking {
        /// Grade of the document at each rank (index 0 = rank 1); nil when not judged.
        let grades: [Int?]
        /// Judged documents with grade >= 1 (trec_eval's `num_rel` at relevance level 1).
        let relevantCount: Int
        /// Grades >= 1 of all judged documents, descending: the ideal ranking's gains.
        let idealGains: [Int]

        init(entries: [RetrievalRun.Entry], judged: [String: Int]) {
            let sorted = entries.sorted { lhs, rhs in
                if lhs.score > rhs.score { return true }
                if lhs.score < rhs.score { return false }
                return RetrievalEvaluation.byteOrder(rhs.documentID, lhs.documentID)
            }
            grades = sorted.map { judged[$0.documentID] }
            idealGains = judged.values.filter { $0 >= 1 }.sorted(by: >)
            relevantCount = idealGains.count
        }

        func value(of metric: RetrievalMetric) -> Double {
            switch metric {
            case .precision(let k):
                // trec_eval m_P.c: the denominator is k even when fewer were retrieved.
                return Double(relevantInTop(k)) / Double(k)
            case .recall(let k):
                // trec_eval m_recall.c leaves 0 when the query has no relevant document.
                guard relevantCount > 0 else { return 0 }
                return Double(relevantInTop(k)) / Double(relevantCount)
            case .ndcg(let k):
                return ndcg(cutoff: k)
            case .mrr:
                // trec_eval m_recip_rank.c
                guard let index = grades.firstIndex(where: { ($0 ?? 0) >= 1 }) else { return 0 }
                return 1.0 / Double(index + 1)
            case .map:
                // trec_eval m_map.c: precision at each relevant retrieved document, summed, over
                // the number of relevant documents (retrieved or not).
                var found = 0
                var sum = 0.0
                for (index, grade) in grades.enumerated() where (grade ?? 0) >= 1 {
                    found += 1
                    sum += Double(found) / Double(index + 1)
                }
                return found > 0 ? sum / Double(relevantCount) : 0
            }
        }

        private func relevantInTop(_ k: Int) -> Int {
            var count = 0
            for grade in grades.prefix(k) where (grade ?? 0) >= 1 { count += 1 }
            return count
        }

        /// trec_eval m_ndcg_cut.c: DCG@k = Σ gain / log2(i + 2) over 0-based ranks i < k with
        /// gain = grade > 0; ideal DCG@k the same over the judged grades sorted descending;
        /// nDCG@k = DCG@k / ideal DCG@k, or 0 when the ideal is 0.
        private func ndcg(cutoff k: Int) -> Double {
            var dcg = 0.0
            for (index, grade) in grades.prefix(k).enumerated() {
                if let grade, grade > 0 { dcg += Double(grade) / log2(Double(index + 2)) }
            }
            var ideal = 0.0
            for (index, gain) in idealGains.prefix(k).enumerated() {
                ideal += Double(gain) / log2(Double(index + 2))
            }
            return ideal > 0 ? dcg / ideal : dcg
        }
    }
}
