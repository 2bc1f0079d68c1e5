import FlowCore
import FlowEngine
import Foundation
import Testing

@testable import FlowSteps

@Suite("upsert step")
struct UpsertExecutorTests {
    /// Writes embed's files for `chunks` (id, document, text; vectors from the hash embedder,
    /// dimension 8) into `workspace/embed/`.
    static func writeVectors(_ workspace: String, _ chunks: [(String, String, String)]) throws {
        let embedder = HashEmbedder(dimension: 8)
        let entries = chunks.enumerated().map { row, c in
            VectorFiles.Entry(
                id: c.0, row: row, hash: SHA256.hexDigest(of: c.2), documentID: c.1, text: c.2, payload: ["n": .number(Double(row))])
        }
        try VectorFiles.write(
            entries: entries, vectors: chunks.flatMap { embedder.vector($0.2) }, dimension: 8, f32: workspace + "/embed/vectors.f32",
            jsonl: workspace + "/embed/vectors.jsonl")
    }

    static func run(_ workspace: String, _ inputs: [String: ExpressionValue]) async throws -> [String: String] {
        try await UpsertExecutor().execute(
            StepInvocation(
                runID: RunID(rawValue: "r1"), workflow: WorkflowName("ingest"), stepID: StepID("upsert"), attempt: 1, inputs: inputs,
                environment: [:], workspace: workspace, workingDirectory: workspace, log: .discarding))
    }

    @Test("a changed document's stale chunks, removed and pruned documents are deleted; the alias follows")
    func replaceRemovePrune() async throws {
        let workspace = try VectorFixtures.scratchDirectory("upsert")
        try Self.writeVectors(
            workspace,
            [
                ("a#0", "a", "wing flutter"), ("a#1", "a", "wing stall"), ("a#2", "a", "wing tip"),
                ("b#0", "b", "shock wave"), ("c#0", "c", "heat transfer"),
            ])
        let first = try await Self.run(workspace, ["collection": .string("docs-1")])
        #expect(first == ["collection": "docs-1", "upserted": "5", "deleted": "0", "count": "5"])

        // Document a now has two chunks (a#2 is gone, a#1 changed); b is listed as removed; c is
        // not in the input but not pruned yet.
        try Self.writeVectors(workspace, [("a#0", "a", "wing flutter"), ("a#1", "a", "wing buffet")])
        let second = try await Self.run(workspace, ["collection": .string("docs-1"), "removed": .array([.string("b")])])
        #expect(second == ["collection": "docs-1", "upserted": "2", "deleted": "2", "count": "3"])

        let store = try SQLiteVectorStore(path: workspace + "/.flow/vectors.sqlite")
        #expect(try await store.searchText("stall", k: 5, in: "docs-1").isEmpty)
        #expect(try await store.searchText("buffet", k: 5, in: "docs-1").map(\.id) == ["a#1"])
        #expect(try await store.searchText("shock", k: 5, in: "docs-1").isEmpty)

        let third = try await Self.run(workspace, ["collection": .string("docs-1"), "prune": .bool(true), "alias": .string("docs")])
        #expect(third == ["collection": "docs-1", "upserted": "2", "deleted": "1", "count": "2"])
        #expect(try await store.resolveAlias("docs") == "docs-1")
        #expect(try await store.searchText("heat", k: 5, in: "docs").isEmpty)
        let hits = try await store.search(HashEmbedder(dimension: 8).vector("wing flutter"), k: 1, in: "docs")
        #expect(hits.first?.id == "a#0")
        #expect(hits.first?.payload == ["n": .number(0)])
    }

    @Test("a collection is not overwritten with another dimension")
    func dimensionMismatch() async throws {
        let workspace = try VectorFixtures.scratchDirectory("upsert")
        try Self.writeVectors(workspace, [("a#0", "a", "wing")])
        _ = try await Self.run(workspace, ["collection": .string("c"), "path": .string("store.sqlite")])
        let entries = [VectorFiles.Entry(id: "x", row: 0, hash: "h", documentID: "x", text: "t", payload: [:])]
        try VectorFiles.write(
            entries: entries, vectors: [1, 2, 3], dimension: 3, f32: workspace + "/embed/vectors.f32",
            jsonl: workspace + "/embed/vectors.jsonl")
        await #expect {
            _ = try await Self.run(workspace, ["collection": .string("c"), "path": .string("store.sqlite")])
        } throws: { error in
            guard let failure = error as? StepFailure else { return false }
            return failure.isPermanent && failure.message.contains("dimension 8")
        }
    }

    @Test("prune with an empty input is refused; missing inputs are reported")
    func refusals() async throws {
        let workspace = try VectorFixtures.scratchDirectory("upsert")
        try Self.writeVectors(workspace, [("a#0", "a", "wing")])
        _ = try await Self.run(workspace, ["collection": .string("c")])
        try Self.writeVectors(workspace, [])
        await #expect(throws: StepFailure.self) { _ = try await Self.run(workspace, ["collection": .string("c"), "prune": .bool(true)]) }
        await #expect(throws: StepFailure.self) { _ = try await Self.run(workspace, [:]) }
        await #expect(throws: StepFailure.self) {
            _ = try await Self.run(workspace, ["collection": .string("c"), "store": .string("qdrant")])
        }
        await #expect(throws: StepFailure.self) {
            _ = try await Self.run(workspace, ["collection": .string("c"), "vectors": .string("missing.f32")])
        }
        let empty = try await Self.run(workspace, ["collection": .string("new")])
        #expect(empty == ["collection": "new", "upserted": "0", "deleted": "0", "count": "0"])
    }
}
