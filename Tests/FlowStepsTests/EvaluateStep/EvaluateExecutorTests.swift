import FlowCore
import FlowEngine
import FlowStore
import Foundation
import Testing

@testable import FlowSteps

@Suite("evaluate step")
struct EvaluateExecutorTests {
    /// Two documents with two passages each would count twice without the first-occurrence
    /// rule; `b` shares no word with query 1.
    static let points = [
        VectorPoint(id: "a:0", documentID: "a", vector: [1, 0], text: "wing lift"),
        VectorPoint(id: "a:1", documentID: "a", vector: [1, 0.1], text: "wing lift slipstream"),
        VectorPoint(id: "b:0", documentID: "b", vector: [0, 1], text: "heat transfer"),
        VectorPoint(id: "c:0", documentID: "c", vector: [1, 1], text: "wing flutter"),
    ]

    static let gold = """
        {"query_id": "q1", "query": "wing lift", "relevant": {"c": 1}}
        {"query_id": "q2", "query": "heat transfer", "relevant": {"b": 2, "a": 1}}

        """

    @Test("BM25 through the store: passages become documents, first passage wins, trec_eval's metrics")
    func bm25Metrics() async throws {
        let folder = try EvaluateStepSupport.temporaryFolder("evaluate")
        _ = try await EvaluateStepSupport.store(folder, "docs-1", Self.points)
        try EvaluateStepSupport.write(Self.gold, to: folder + "/gold.jsonl")
        let lines = EvaluateStepSupport.LogLines()
        let outputs = try await EvaluateExecutor().execute(
            EvaluateStepSupport.invocation(
                ["collection": .string("docs-1"), "gold": .string("gold.jsonl"), "modes": .array([.string("bm25")])], folder: folder,
                log: lines.log))

        // Hand calculation. BM25 ranks a:0 (both words, shorter), a:1, c:0 for q1, so the
        // documents are [a, c] (a:1 dropped) and c, the one relevant, is at rank 2; q2 finds
        // only b (grade 2) of its two relevant documents.
        // q1: recall@5 1, RR 1/2, nDCG@10 (1/log2 3)/1, AP 1/2.
        // q2: recall@5 1/2, RR 1, nDCG@10 2/(2 + 1/log2 3), AP (1/1)/2.
        let inverseLog3 = 1 / log2(3.0)
        let expected: [String: Double] = [
            "recall_5": 0.75, "mrr": 0.75, "map": 0.5, "ndcg_10": (inverseLog3 + 2 / (2 + inverseLog3)) / 2,
        ]
        for (name, value) in expected {
            #expect(abs(Double(outputs[name]!)! - value) < 5e-5, "\(name)")
            #expect(outputs["bm25_" + name] == outputs[name])
        }
        #expect(outputs["queries"] == "2")
        #expect(outputs["collection"] == "docs-1")
        #expect(lines.all.contains("evaluate: mode | recall@5 | ndcg@10 | mrr    | map"))
        #expect(lines.all.contains { $0.hasPrefix("evaluate: bm25 | 0.7500   | 0.6956  | 0.7500 | 0.5000") })

        // The run file lists a before c for q1 (ranks from the passages' order).
        let run = try String(contentsOfFile: folder + "/workspace/evaluate/bm25.run", encoding: .utf8)
        #expect(run.split(separator: "\n").filter { $0.hasPrefix("q1 ") }.map { $0.split(separator: " ")[2] } == ["a", "c"])

        // Every value is in the metrics history with the collection and mode.
        let recorded = try MetricsStore(path: folder + "/flow.db").latestEvaluation(collection: "docs-1", mode: "bm25")
        #expect(Set(recorded.map(\.metric)) == ["recall@5", "ndcg@10", "mrr", "map"])
        #expect(recorded.allSatisfy { $0.runID == "run-1" && $0.stepID == "evaluate" && $0.samples == 2 && $0.goldSet != nil })
        #expect(abs(recorded.first { $0.metric == "mrr" }!.value - 0.75) < 1e-12)

        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: outputs["report"]!))) as? [String: Any]
        let retrieval = report?["retrieval"] as? [String: Any]
        #expect(retrieval?["queries"] as? Int == 2)
    }

    @Test("an alias is resolved; a threshold below the value fails the step naming metric, value and threshold")
    func thresholdFails() async throws {
        let folder = try EvaluateStepSupport.temporaryFolder("evaluate")
        let store = try await EvaluateStepSupport.store(folder, "docs-1", Self.points)
        try await store.setAlias("docs", to: "docs-1")
        try EvaluateStepSupport.write(Self.gold, to: folder + "/gold.jsonl")
        let inputs: [String: ExpressionValue] = [
            "collection": .string("docs"), "gold": .string("gold.jsonl"), "modes": .array([.string("bm25")]),
            "thresholds": .object(["bm25/mrr": .number(0.8), "map": .number(0.25)]),
        ]
        await #expect {
            _ = try await EvaluateExecutor().execute(EvaluateStepSupport.invocation(inputs, folder: folder))
        } throws: { error in
            (error as? StepFailure)?.message == "evaluate: bm25 mrr = 0.7500 is below the threshold 0.8"
                && (error as? StepFailure)?.isPermanent == true
        }
        // Recorded all the same, under the collection the alias served.
        let recorded = try MetricsStore(path: folder + "/flow.db").latestEvaluation(collection: "docs-1", mode: "bm25")
        #expect(recorded.count == 4)
    }

    @Test(
        "bad inputs fail before anything runs",
        arguments: [
            (["gold": .string("g.jsonl")], "evaluate: input 'collection' is required with a gold set"),
            (
                ["collection": .string("c")],
                "evaluate: nothing to evaluate: give a gold set ('gold', or 'qrels' and 'queries') and/or 'generations'"
            ),
            (["collection": .string("c"), "qrels": .string("q")], "evaluate: 'qrels' and 'queries' go together; give both"),
            (
                ["collection": .string("c"), "gold": .string("g.jsonl"), "metrics": .array([.string("ndcg")])],
                "evaluate: input 'metrics': unknown metric 'ndcg'; expected recall@k, precision@k, ndcg@k, mrr or map"
            ),
            (
                ["collection": .string("c"), "gold": .string("g.jsonl"), "thresholds": .object(["vector/mrr": .number(0.5)])],
                "evaluate: threshold on vector/mrr but 'modes' does not include 'vector'"
            ),
            (
                ["collection": .string("c"), "gold": .string("g.jsonl"), "thresholds": .object(["bleu": .number(10)])],
                "evaluate: threshold on bleu needs 'generations'"
            ),
        ] as [([String: ExpressionValue], String)])
    func badInputs(_ inputs: [String: ExpressionValue], _ message: String) async throws {
        let folder = try EvaluateStepSupport.temporaryFolder("evaluate")
        await #expect {
            _ = try await EvaluateExecutor().execute(EvaluateStepSupport.invocation(inputs, folder: folder))
        } throws: { error in
            (error as? StepFailure)?.message == message && (error as? StepFailure)?.isPermanent == true
        }
    }

    @Test("vector and hybrid need an embedder of the collection's dimension")
    func dimensionMismatch() async throws {
        let folder = try EvaluateStepSupport.temporaryFolder("evaluate")
        _ = try await EvaluateStepSupport.store(folder, "docs-1", Self.points)
        try EvaluateStepSupport.write(Self.gold, to: folder + "/gold.jsonl")
        await #expect {
            _ = try await EvaluateExecutor().execute(
                EvaluateStepSupport.invocation(
                    ["collection": .string("docs-1"), "gold": .string("gold.jsonl"), "modes": .array([.string("vector")])], folder: folder))
        } throws: { error in
            (error as? StepFailure)?.message.contains("gives vectors of 384 values but collection 'docs-1' has dimension 2") == true
        }
        // With the right dimension every mode runs.
        let outputs = try await EvaluateExecutor().execute(
            EvaluateStepSupport.invocation(
                [
                    "collection": .string("docs-1"), "gold": .string("gold.jsonl"),
                    "modes": .array([.string("vector"), .string("bm25"), .string("hybrid")]),
                    "embed": .object(["provider": .string("hash"), "dimension": .number(2)]),
                ], folder: folder))
        #expect(outputs["vector_mrr"] != nil && outputs["hybrid_mrr"] != nil && outputs["bm25_mrr"] != nil)
        #expect(outputs["mrr"] == outputs["vector_mrr"])
    }

    @Test("a path document key names files relative to the working directory")
    func pathKey() {
        let hit = VectorSearchHit(
            id: "x:0", documentID: "1f2e", score: 1, payload: ["url": .string("file:///work/repo/docs/cli.md"), "title": .string("CLI")])
        #expect(DocumentKey.path.key(of: hit, base: "/work/repo") == "docs/cli.md")
        #expect(DocumentKey.title.key(of: hit, base: "/") == "CLI")
        #expect(DocumentKey.documentID.key(of: hit, base: "/") == "1f2e")
        let web = VectorSearchHit(id: "y:0", documentID: "9", score: 1, payload: ["url": .string("https://example.com/a")])
        #expect(DocumentKey.path.key(of: web, base: "/work/repo") == "https://example.com/a")
    }

    @Test("the log table pads columns and prints four decimals")
    func table() {
        let lines = EvaluationTable.render(
            metrics: [.recall(5), .mrr], rows: [("bm25", [0.28493, 0.5]), ("hybrid", [1, 0.123456])])
        #expect(
            lines == ["mode   | recall@5 | mrr", "-------+----------+-------", "bm25   | 0.2849   | 0.5000", "hybrid | 1.0000   | 0.1235"])
    }
}
