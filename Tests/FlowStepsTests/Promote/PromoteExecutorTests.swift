import FlowCore
import FlowEngine
import FlowStore
import Foundation
import Testing

@testable import FlowSteps

@Suite("promote step")
struct PromoteExecutorTests {
    static let point = [VectorPoint(id: "p", documentID: "d", vector: [1, 0], text: "wing")]

    /// Two collections and their stored hybrid metrics: docs-1 (run r1) nDCG@10 0.30, docs-2
    /// (run r2) 0.35, both on gold set g.
    static func setUp() async throws -> (folder: String, store: SQLiteVectorStore) {
        let folder = try EvaluateStepSupport.temporaryFolder("promote")
        let store = try await EvaluateStepSupport.store(folder, "docs-1", point)
        try await store.createCollection("docs-2", dimension: 2, distance: .cosine, textAnalysis: .english)
        let metrics = try MetricsStore(path: folder + "/flow.db")
        for (run, collection, ndcg) in [("r1", "docs-1", 0.30), ("r2", "docs-2", 0.35)] {
            try metrics.recordMetrics(
                [("ndcg@10", ndcg), ("recall@5", 0.5)].map {
                    MetricRecord(
                        runID: RunID(run), stepID: "evaluate", workflow: "test", collection: collection, mode: "hybrid", goldSet: "g",
                        metric: $0.0, value: $0.1, samples: 10, recordedAt: Date())
                })
        }
        return (folder, store)
    }

    static func promote(_ inputs: [String: ExpressionValue], _ folder: String, run: String) async throws -> [String: String] {
        var all = inputs
        all["alias"] = .string("docs")
        return try await PromoteExecutor().execute(EvaluateStepSupport.invocation(all, folder: folder, step: "promote", run: run))
    }

    @Test("offline: first promotion, then a better candidate from the run's evaluation, then a worse one is kept")
    func offline() async throws {
        let (folder, store) = try await Self.setUp()

        let first = try await Self.promote(["candidate": .string("docs-1")], folder, run: "r1")
        #expect(first["promoted"] == "true" && first["decision"] == "promoted" && first["previous"] == "")
        #expect(first["reason"] == "alias 'docs' serves no collection yet: first promotion of 'docs-1' (hybrid ndcg@10 0.3000)")
        #expect(try await store.resolveAlias("docs") == "docs-1")

        // Run r2 evaluated docs-2 only, so it is the candidate: +0.05 ≥ +0.01.
        let second = try await Self.promote(["min_gain": .object(["ndcg@10": .number(0.01)])], folder, run: "r2")
        #expect(second["promoted"] == "true" && second["collection"] == "docs-2" && second["previous"] == "docs-1")
        #expect(second["reason"] == "'docs-2' beats 'docs-1' (hybrid): ndcg@10 0.3500 vs 0.3000 (+0.0500, needs +0.0100)")
        #expect(try await store.resolveAlias("docs") == "docs-2")

        let third = try await Self.promote(["candidate": .string("docs-1")], folder, run: "r3")
        #expect(third["promoted"] == "false" && third["decision"] == "kept" && third["collection"] == "docs-2")
        #expect(
            third["reason"] == "'docs-1' does not gain enough over 'docs-2' (hybrid): ndcg@10 0.3000 vs 0.3500 (-0.0500, needs +0.0000)")
        #expect(try await store.resolveAlias("docs") == "docs-2")

        let history = try PromotionStore(path: folder + "/flow.db").promotions(alias: "docs")
        #expect(history.map(\.promoted) == [false, true, true])
        #expect(history.map(\.candidate) == ["docs-1", "docs-2", "docs-1"])
        #expect(history[1].previous == "docs-1" && history[1].gate == .offline)
        let evidence = try #require(JSONText.decodeObject(history[1].evidence))
        let comparison = try #require(evidence["comparisons"]?.arrayValue?.first?.objectValue)
        #expect(comparison["metric"] == .string("ndcg@10") && comparison["passed"] == .bool(true))
        if case .number(let gain)? = comparison["gain"] { #expect(abs(gain - 0.05) < 1e-12) } else { Issue.record("no gain") }
    }

    @Test("offline: a candidate without the gated metric fails, naming what to evaluate")
    func missingMetric() async throws {
        let (folder, _) = try await Self.setUp()
        await #expect {
            _ = try await Self.promote(["candidate": .string("docs-1"), "mode": .string("bm25")], folder, run: "r9")
        } throws: { error in
            (error as? StepFailure)?.message
                == "promote: no stored bm25 ndcg@10 for 'docs-1': evaluate it with mode bm25 and metric ndcg@10 first"
        }
    }

    @Test("online: CSV feedback, B's click-through is significantly higher, so the alias moves to B's collection")
    func online() async throws {
        let (folder, store) = try await Self.setUp()
        try await store.setAlias("docs", to: "docs-1")
        var csv = "time,variant,query,clicked,rating\n"
        for i in 0..<1000 { csv += "2026-11-29T10:00:00Z,A,\"q \(i), a\",\(i < 120 ? 1 : 0),\n" }
        for i in 0..<1000 { csv += "2026-11-29T10:00:00Z,B,q \(i),\(i < 150 ? "true" : "false"),4\n" }
        try EvaluateStepSupport.write(csv, to: folder + "/feedback.csv")
        let outputs = try await Self.promote(
            [
                "gate": .string("online"), "feedback": .string("feedback.csv"),
                "variants": .object(["A": .string("docs-1"), "B": .string("docs-2")]), "min_samples": .number(500),
            ], folder, run: "r4")
        #expect(outputs["promoted"] == "true" && outputs["collection"] == "docs-2")
        #expect(abs(Double(outputs["p_value"]!)! - 0.049640386865368834) < 1e-9)
        #expect(try await store.resolveAlias("docs") == "docs-2")
        let record = try #require(try PromotionStore(path: folder + "/flow.db").promotions(alias: "docs").first)
        #expect(record.gate == .online && record.candidate == "docs-2" && record.previous == "docs-1")
    }
}
