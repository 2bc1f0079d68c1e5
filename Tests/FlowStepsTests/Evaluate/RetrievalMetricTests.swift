import Testing

@testable import FlowSteps

@Suite("Retrieval metric names")
struct RetrievalMetricTests {
    @Test(
        "names parse to metrics",
        arguments: [
            ("recall@5", RetrievalMetric.recall(5)), ("R@5", .recall(5)), ("recall_100", .recall(100)),
            ("P@5", .precision(5)), ("precision@10", .precision(10)), ("P_5", .precision(5)),
            ("P.3", .precision(3)), ("ndcg@10", .ndcg(10)), ("nDCG@3", .ndcg(3)),
            ("ndcg_cut_20", .ndcg(20)), ("mrr", .mrr), ("MRR", .mrr), ("recip_rank", .mrr),
            ("map", .map),
        ])
    func parse(name: String, metric: RetrievalMetric) throws {
        #expect(try RetrievalMetric(parsing: name) == metric)
    }

    @Test("unknown names and bad cutoffs are rejected", arguments: ["ndcg", "recall@0", "P@x", "bleu", "map@5"])
    func reject(name: String) {
        #expect(throws: EvaluationError.self) { try RetrievalMetric(parsing: name) }
    }

    @Test("trec_eval names and short names")
    func names() {
        #expect(RetrievalMetric.precision(5).trecName == "P_5")
        #expect(RetrievalMetric.ndcg(10).trecName == "ndcg_cut_10")
        #expect(RetrievalMetric.mrr.trecName == "recip_rank")
        #expect(RetrievalMetric.recall(5).description == "recall@5")
    }
}
