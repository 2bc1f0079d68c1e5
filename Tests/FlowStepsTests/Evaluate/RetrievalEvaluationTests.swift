import Foundation
import Testing

@testable import FlowSteps

/// Expected values are pytrec_eval's (trec_eval 9.x inside), written by Fixtures/generate.py.
@Suite("Retrieval evaluation matches trec_eval")
struct RetrievalEvaluationTests {
    static let metrics: [RetrievalMetric] = [
        .map, .mrr, .precision(1), .precision(3), .precision(5), .precision(10), .recall(1),
        .recall(3), .recall(5), .recall(10), .recall(100), .ndcg(1), .ndcg(3), .ndcg(5), .ndcg(10),
        .ndcg(20),
    ]

    /// pytrec_eval's output for one run file.
    struct Expected: Decodable {
        var perQuery: [String: [String: Double]]
        var mean: [String: Double]
        var queryCount: Int
        var meanComplete: [String: Double]
        var queryCountComplete: Int

        enum CodingKeys: String, CodingKey {
            case perQuery = "per_query"
            case mean
            case queryCount = "query_count"
            case meanComplete = "mean_complete"
            case queryCountComplete = "query_count_complete"
        }

        static func load(_ name: String) throws -> Expected {
            try EvaluateFixtures.decode(Expected.self, "trec/expected/\(name).json")
        }
    }

    static func check(
        _ result: RetrievalEvaluation.Result, perQuery: [String: [String: Double]]?,
        mean: [String: Double], queryCount: Int
    ) {
        #expect(result.queryCount == queryCount)
        if let perQuery {
            #expect(Set(result.perQuery.keys) == Set(perQuery.keys))
            for (query, values) in perQuery {
                for metric in metrics {
                    let ours = result.perQuery[query]?[metric] ?? .nan
                    let theirs = values[metric.trecName] ?? .nan
                    #expect(abs(ours - theirs) <= 1e-9, "\(query) \(metric.trecName): \(ours) vs \(theirs)")
                }
            }
        }
        for metric in metrics {
            let ours = result.mean[metric] ?? .nan
            let theirs = mean[metric.trecName] ?? .nan
            #expect(abs(ours - theirs) <= 1e-9, "mean \(metric.trecName): \(ours) vs \(theirs)")
        }
    }

    @Test("small qrels: per-query values and means", arguments: ["ties", "graded", "missing", "empty"])
    func small(run name: String) throws {
        let qrels = try Qrels(contentsOfTRECFile: EvaluateFixtures.path("trec/small.qrels"))
        let run = try RetrievalRun(contentsOfTRECFile: EvaluateFixtures.path("trec/\(name).run"))
        let expected = try Expected.load(name)
        Self.check(
            RetrievalEvaluation.evaluate(qrels: qrels, run: run, metrics: Self.metrics),
            perQuery: expected.perQuery, mean: expected.mean, queryCount: expected.queryCount)
        Self.check(
            RetrievalEvaluation.evaluate(
                qrels: qrels, run: run, metrics: Self.metrics, averaging: .allJudgedQueries),
            perQuery: expected.perQuery, mean: expected.meanComplete,
            queryCount: expected.queryCountComplete)
    }

    @Test("Cranfield qrels with a generated run (ties, missing and unjudged queries)")
    func cranfield() throws {
        let qrels = Qrels(try EvaluateFixtures.cranfieldQrels())
        #expect(qrels.queryCount == 225)
        let run = try RetrievalRun(contentsOfTRECFile: EvaluateFixtures.path("trec/cranfield.run"))
        let expected = try Expected.load("cranfield")
        Self.check(
            RetrievalEvaluation.evaluate(qrels: qrels, run: run, metrics: Self.metrics),
            perQuery: expected.perQuery, mean: expected.mean, queryCount: expected.queryCount)
        Self.check(
            RetrievalEvaluation.evaluate(
                qrels: qrels, run: run, metrics: Self.metrics, averaging: .allJudgedQueries),
            perQuery: expected.perQuery, mean: expected.meanComplete,
            queryCount: expected.queryCountComplete)
    }

    @Test("ties are broken by document id descending, in byte order")
    func tieBreaking() {
        // Hand calculation: all four scores tie, so the order is d9, d10, D1, Z (bytes
        // 'd' > 'Z' > 'D'; "d9" > "d10" since '9' > '1'). Only d10 is relevant → rank 2.
        let qrels = Qrels(["q": ["d10": 1]])
        let run = RetrievalRun(rankings: [
            "q": ["D1", "Z", "d10", "d9"].map { .init(documentID: $0, score: 0.5) }
        ])
        let result = RetrievalEvaluation.evaluate(qrels: qrels, run: run, metrics: [.mrr])
        #expect(result.mean[.mrr] == 0.5)
    }

    @Test("nDCG uses graded gains and the ideal ranking of all judged documents")
    func ndcgByHand() {
        // Ranking: a (grade 1), b (not judged), c (grade 3). Judged also: d (grade 2).
        // DCG@3 = 1/log2(2) + 3/log2(4) = 2.5; ideal gains 3, 2, 1:
        // IDCG@3 = 3 + 2/log2(3) + 1/2 = 3.5 + 1.2618595071429148 = 4.761859507142915.
        let qrels = Qrels(["q": ["a": 1, "c": 3, "d": 2]])
        let run = RetrievalRun(rankings: [
            "q": [
                .init(documentID: "a", score: 3), .init(documentID: "b", score: 2),
                .init(documentID: "c", score: 1),
            ]
        ])
        let result = RetrievalEvaluation.evaluate(qrels: qrels, run: run, metrics: [.ndcg(3), .map])
        let ndcg: Double = 2.5 / 4.761859507142915
        #expect(abs(result.mean[.ndcg(3)]! - ndcg) < 1e-12)
        // AP = (1/1 + 2/3) / 3 relevant = 0.5555…
        let averagePrecision: Double = (1.0 + 2.0 / 3.0) / 3.0
        #expect(abs(result.mean[.map]! - averagePrecision) < 1e-12)
    }

    @Test("the report prints as trec_eval -q does")
    func report() throws {
        let qrels = try Qrels(contentsOfTRECFile: EvaluateFixtures.path("trec/small.qrels"))
        let run = try RetrievalRun(contentsOfTRECFile: EvaluateFixtures.path("trec/graded.run"))
        // Asked in another order and with a duplicate: printed in trec_eval's order.
        let result = RetrievalEvaluation.evaluate(
            qrels: qrels, run: run, metrics: Self.metrics.reversed() + [.map])
        #expect(result.trecEvalReport(perQuery: true) == (try EvaluateFixtures.text("trec/expected/graded.report.txt")))
        #expect(result.trecEvalReport().hasPrefix("map                   \tall\t0."))
    }
}
