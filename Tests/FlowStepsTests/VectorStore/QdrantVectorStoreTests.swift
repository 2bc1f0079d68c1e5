import FlowCore
import FlowEngine
import Foundation
import Testing

@testable import FlowSteps

/// The `qdrant` store against Fixtures/fake_qdrant.py, which validates every request it gets
/// and every answer it gives against Qdrant's published OpenAPI document (jsonschema), and
/// against a live server when QDRANT_URL is set.
@Suite("qdrant vector store")
struct QdrantVectorStoreTests {
    static let script = VectorFixtures.path("VectorStore", "fake_qdrant.py")

    static func store(_ server: FakeServer, apiKey: String? = nil, retries: Int = 3, log: @escaping @Sendable (String) -> Void = { _ in })
        -> QdrantVectorStore
    {
        QdrantVectorStore(
            url: server.baseURL, apiKey: apiKey, batchSize: 2, retry: HTTPRetryPolicy(attempts: retries + 1, baseDelay: .zero), log: log)
    }

    /// Every logged request conformed to the document, and so did every answer.
    static func expectConforming(_ server: FakeServer, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> [[String: Any]]
    {
        let requests = try server.requests()
        for r in requests {
            #expect(r["errors"] as? [String] == [], "\(r["method"]!) \(r["path"]!)", sourceLocation: sourceLocation)
            #expect(r["response_errors"] as? [String] == [], "\(r["method"]!) \(r["path"]!)", sourceLocation: sourceLocation)
        }
        return requests
    }

    static func point(_ id: String, _ document: String, _ vector: [Float], _ text: String) -> VectorPoint {
        VectorPoint(id: id, documentID: document, vector: vector, text: text, payload: ["title": .string("T-" + id)])
    }

    @Test("creates, writes, searches (dense and BM25), deletes and aliases with documented requests only")
    func lifecycle() async throws {
        guard let server = try FakeServer.start(script: Self.script, ["--api-key", "qk-secret"]) else { return }
        defer { server.stop() }
        let store = Self.store(server, apiKey: "qk-secret")
        let info = try await store.createCollection("docs-1", dimension: 2, distance: .cosine, textAnalysis: .simple)
        #expect(info.dimension == 2)
        // Asking again with the same settings returns the existing collection.
        #expect(try await store.createCollection("docs-1", dimension: 2, distance: .cosine, textAnalysis: .simple).name == "docs-1")
        await #expect { try await store.createCollection("docs-1", dimension: 3, distance: .cosine, textAnalysis: .simple) } throws: {
            ($0 as? VectorStoreError)?.code == .collectionMismatch
        }
        try await store.upsert(
            [
                Self.point("x", "X", [1, 0], "shock shock"), Self.point("y", "Y", [0.8, 0.6], "wave"),
                Self.point("z", "Z", [0, 1], "shock"),
            ], into: "docs-1")
        #expect(try await store.collectionInfo("docs-1")?.pointCount == 3)
        #expect(try await store.listCollections() == ["docs-1"])

        // Cosine with (1, 0): x 1, y 0.8, z 0.
        let dense = try await store.search([2, 0], k: 3, in: "docs-1")
        #expect(dense.map(\.id) == ["x", "y", "z"])
        #expect(abs(dense[1].score - 0.8) < 1e-6)
        #expect(dense[0].documentID == "X")
        #expect(dense[0].payload == ["title": .string("T-x")])

        // BM25 through the sparse vectors, avgdl fixed at 256: idf(shock) = ln(1 + 1.5/2.5) =
        // 0.4700036; x: tf 2, |D| 2: 2 / (2 + 1.5·(0.25 + 0.75·2/256)) = 0.8390004 → 0.3943332;
        // z: tf 1, |D| 1: 1 / (1 + 1.5·(0.25 + 0.75/256)) = 0.7249558 → 0.3407318.
        let lexical = try await store.searchText("shock", k: 3, in: "docs-1")
        #expect(lexical.map(\.id) == ["x", "z"])
        #expect(abs(lexical[0].score - 0.394_333_2) < 1e-6)
        #expect(abs(lexical[1].score - 0.340_731_8) < 1e-6)
        // Hybrid by RRF, as for the SQLite store: x, z, y.
        #expect(try await store.hybrid(query: "shock", vector: [1, 0], k: 3, in: "docs-1").map(\.id) == ["x", "z", "y"])

        // Aliases: create, then move (delete + create in one request).
        try await store.createCollection("docs-2", dimension: 2, distance: .cosine, textAnalysis: .simple)
        try await store.upsert([Self.point("w", "W", [0, 1], "wave")], into: "docs-2")
        try await store.setAlias("docs", to: "docs-1")
        #expect(try await store.resolveAlias("docs") == "docs-1")
        #expect(try await store.search([1, 0], k: 1, in: "docs").map(\.id) == ["x"])
        try await store.setAlias("docs", to: "docs-2")
        #expect(try await store.resolveAlias("docs") == "docs-2")
        #expect(try await store.search([1, 0], k: 1, in: "docs").map(\.id) == ["w"])
        await #expect { try await store.setAlias("docs", to: "nope") } throws: { ($0 as? VectorStoreError)?.code == .collectionNotFound }

        // Deletes, counted first.
        try await store.upsert([Self.point("x2", "X", [1, 1], "more"), Self.point("q", "Q", [1, 1], "q")], into: "docs-1")
        #expect(try await store.delete(.documentsExcept(["X"], keeping: ["x"]), from: "docs-1") == 1)
        #expect(try await store.delete(.documents(["Q"]), from: "docs-1") == 1)
        #expect(try await store.delete(.documentsNotIn(["X", "Y"]), from: "docs-1") == 1)
        #expect(try await store.delete(.ids(["y"]), from: "docs-1") == 1)
        #expect(try await store.delete(.ids(["y"]), from: "docs-1") == 0)
        #expect(try await store.collectionInfo("docs-1")?.pointCount == 1)
        #expect(try await store.deleteCollection("docs-2"))
        #expect(try await store.resolveAlias("docs") == nil)
        #expect(try await store.collectionInfo("docs-2") == nil)

        let requests = try Self.expectConforming(server)
        #expect(requests.allSatisfy { $0["api_key"] as? Bool == true })
        let used = Set(requests.map { "\($0["method"]!) \($0["template"]!)" })
        #expect(
            used.isSuperset(of: [
                "PUT /collections/{collection_name}", "GET /collections/{collection_name}", "GET /collections",
                "PUT /collections/{collection_name}/index", "PUT /collections/{collection_name}/points",
                "POST /collections/{collection_name}/points/query", "POST /collections/{collection_name}/points/count",
                "POST /collections/{collection_name}/points/delete", "POST /collections/aliases", "GET /aliases",
                "GET /collections/{collection_name}/exists", "DELETE /collections/{collection_name}",
            ]))
        // Writes wait for the operation to be applied.
        for r in requests
        where ["PUT /collections/{collection_name}/points", "POST /collections/{collection_name}/points/delete"]
            .contains("\(r["method"]!) \(r["template"]!)")
        {
            #expect((r["query"] as? [[String]])?.contains(["wait", "true"]) == true)
        }
        // Upserts go in batches of 2.
        let upserts = requests.filter { "\($0["method"]!) \($0["template"]!)" == "PUT /collections/{collection_name}/points" }
        #expect(upserts.map { (($0["body"] as! [String: Any])["points"] as! [Any]).count } == [2, 1, 1, 2])
    }

    @Test("the fake rejects a request that breaks the document (so the checks above mean something)")
    func fakeValidates() async throws {
        guard let server = try FakeServer.start(script: Self.script) else { return }
        defer { server.stop() }
        let client = JSONHTTPClient(retry: HTTPRetryPolicy(attempts: 1), timeout: .seconds(10))
        let bad = Data(#"{"vectors":{"size":4,"distance":"cosine"}}"#.utf8)
        let response = try await client.send("PUT", server.baseURL.appendingPathComponent("collections/c"), body: bad)
        #expect(response.status == 400)
        let logged = try server.requests()
        #expect((logged.first?["errors"] as? [String])?.isEmpty == false)
    }

    @Test("retries after a 503 and reports a missing collection")
    func retriesAndErrors() async throws {
        guard let server = try FakeServer.start(script: Self.script, ["--unavailable-first", "1"]) else { return }
        defer { server.stop() }
        let lines = LogLines()
        let store = Self.store(server) { lines.log.write($0) }
        #expect(try await store.listCollections() == [])
        #expect(lines.all.contains { $0.contains("HTTP 503") })
        await #expect { try await store.search([1, 0], k: 1, in: "missing") } throws: {
            ($0 as? VectorStoreError)?.code == .collectionNotFound
        }
        _ = try Self.expectConforming(server)
    }

    @Test("the upsert step replaces and prunes documents in Qdrant")
    func upsertStep() async throws {
        guard let server = try FakeServer.start(script: Self.script) else { return }
        defer { server.stop() }
        let workspace = try VectorFixtures.scratchDirectory("upsert-qdrant")
        let inputs: [String: ExpressionValue] = [
            "collection": .string("docs-7"), "store": .string("qdrant"), "url": .string(server.baseURL.absoluteString),
            "batch_size": .number(2),
        ]
        try UpsertExecutorTests.writeVectors(workspace, [("a#0", "a", "wing flutter"), ("a#1", "a", "wing stall"), ("b#0", "b", "shock")])
        #expect(
            try await UpsertExecutorTests.run(workspace, inputs) == ["collection": "docs-7", "upserted": "3", "deleted": "0", "count": "3"])
        try UpsertExecutorTests.writeVectors(workspace, [("a#0", "a", "wing flutter")])
        var pruning = inputs
        pruning["prune"] = .bool(true)
        pruning["alias"] = .string("docs")
        #expect(
            try await UpsertExecutorTests.run(workspace, pruning) == [
                "collection": "docs-7", "upserted": "1", "deleted": "2", "count": "1",
            ])
        _ = try Self.expectConforming(server)
    }

    @Test("works against a live Qdrant server when QDRANT_URL is set")
    func liveServer() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let text = environment["QDRANT_URL"], !text.isEmpty, let url = URL(string: text) else {
            print("not run: live Qdrant test (QDRANT_URL is not set)")
            return
        }
        let store = QdrantVectorStore(url: url, apiKey: environment["QDRANT_API_KEY"])
        let name = "flow-test-\(UUID().uuidString.prefix(8).lowercased())"
        try await store.createCollection(name, dimension: 2, distance: .cosine, textAnalysis: .simple)
        do {
            try await store.upsert(
                [
                    Self.point("x", "X", [1, 0], "shock shock"), Self.point("y", "Y", [0.8, 0.6], "wave"),
                    Self.point("z", "Z", [0, 1], "shock"),
                ],
                into: name)
            #expect(try await store.search([1, 0], k: 3, in: name).map(\.id) == ["x", "y", "z"])
            #expect(try await store.searchText("shock", k: 3, in: name).map(\.id) == ["x", "z"])
            try await store.setAlias(name + "-alias", to: name)
            #expect(try await store.resolveAlias(name + "-alias") == name)
            #expect(try await store.delete(.documents(["Z"]), from: name) == 1)
        } catch {
            _ = try? await store.deleteCollection(name)
            throw error
        }
        #expect(try await store.deleteCollection(name))
    }
}
