import FlowCore
import Foundation
import Testing

@testable import FlowSteps

@Suite("sqlite vector store")
struct SQLiteVectorStoreTests {
    static func openStore() throws -> SQLiteVectorStore {
        try SQLiteVectorStore(path: try VectorFixtures.scratchDirectory("vectors") + "/vectors.sqlite")
    }

    static func point(_ id: String, _ document: String, _ vector: [Float], _ text: String = "") -> VectorPoint {
        VectorPoint(id: id, documentID: document, vector: vector, text: text, payload: ["n": .string(id)])
    }

    @Test("cosine search equals numpy's brute force on normalised vectors (Fixtures/topk_reference.py)")
    func cosineMatchesNumpy() async throws {
        let reference = try VectorMatrixTests.references().first { $0.metric == "cosine" }!
        let d = reference.dimension
        let data = SplitMix64.values(seed: reference.seed, count: (reference.rows + reference.queries) * d)
        let store = try Self.openStore()
        try await store.createCollection("c", dimension: d, distance: .cosine, textAnalysis: .english)
        // Zero-padded ids keep id order = row order (ties are broken by id).
        let points = (0..<reference.rows).map { r in
            Self.point(String(format: "p%03d", r), "doc\(r % 7)", Array(data[(r * d)..<((r + 1) * d)]))
        }
        try await store.upsert(points, into: "c")
        for (q, expected) in reference.expected.enumerated() {
            let start = (reference.rows + q) * d
            let hits = try await store.search(Array(data[start..<(start + d)]), k: reference.k, in: "c")
            #expect(hits.map(\.id) == expected.rows.map { String(format: "p%03d", $0) })
            for (hit, score) in zip(hits, expected.scores) { #expect(abs(hit.score - score) < 1e-5) }
            #expect(hits.first?.payload == ["n": .string(hits.first!.id)])
            #expect(hits.first?.documentID == "doc\(expected.rows[0] % 7)")
        }
    }

    @Test("BM25 scores equal bm25s's on a small corpus (Fixtures/bm25_reference.py)", arguments: TextAnalysis.allCases)
    func bm25MatchesBM25s(_ analysis: TextAnalysis) async throws {
        let reference = BM25Reference.load()
        let store = try Self.openStore()
        try await store.createCollection("c", dimension: 1, distance: .dot, textAnalysis: analysis)
        try await store.upsert(reference.corpus.enumerated().map { Self.point("d\($0)", "d\($0)", [1], $1) }, into: "c")
        for (query, scores) in zip(reference.queries, reference.analyses[analysis.rawValue]!.scores) {
            let hits = try await store.searchText(query, k: 10, in: "c")
            let expected = scores.enumerated().filter { $0.element > 0 }
                .sorted { $0.element != $1.element ? $0.element > $1.element : $0.offset < $1.offset }
            #expect(hits.map(\.id) == expected.map { "d\($0.offset)" }, "\(query)")
            for (hit, e) in zip(hits, expected) { #expect(abs(hit.score - e.element) < 1e-5 * max(1, e.element), "\(query)") }
        }
    }

    @Test("BM25 top 10 on Cranfield equals bm25s's, same tokenisation (Fixtures/bm25_reference.py)")
    func bm25MatchesBM25sOnCranfield() async throws {
        guard let directory = VectorFixtures.cranfieldDirectory else {
            VectorFixtures.unavailable("the Cranfield collection is not at ../shared/data/cranfield or $CRANFIELD_DIR")
            return
        }
        let reference = BM25Reference.load()
        let store = try Self.openStore()
        try await store.createCollection("cranfield", dimension: 1, distance: .dot, textAnalysis: .english)
        let documents = try CranfieldText.abstracts(directory + "/cran.all.1400")
        #expect(documents.count == 1400)
        try await store.upsert(documents.map { Self.point($0.id, $0.id, [1], $0.text) }, into: "cranfield")
        var identical = 0
        for expected in reference.cranfield {
            let hits = try await store.searchText(expected.query, k: 10, in: "cranfield")
            #expect(hits.count == 10)
            for (i, (hit, score)) in zip(hits, expected.scores).enumerated() {
                #expect(abs(hit.score - score) < 1e-4 * max(1, score), "\(expected.query) rank \(i + 1)")
            }
            // Equal scores may be listed in another order (bm25s computes in float32).
            if hits.map(\.id) == expected.ids { identical += 1 }
            #expect(Set(hits.map(\.id)).count == 10)
        }
        #expect(identical >= reference.cranfield.count - 2)
    }

    @Test("a re-ingested document's stale points, removed and pruned documents are deleted")
    func deleteSemantics() async throws {
        let store = try Self.openStore()
        try await store.createCollection("c", dimension: 2, distance: .cosine, textAnalysis: .simple)
        try await store.upsert(
            [
                Self.point("a1", "A", [1, 0], "alpha one"), Self.point("a2", "A", [1, 1], "alpha two"),
                Self.point("a3", "A", [0, 1], "alpha three"), Self.point("b1", "B", [1, 0], "beta"),
                Self.point("c1", "C", [0, 1], "gamma"),
            ], into: "c")
        #expect(try await store.delete(.documentsExcept(["A"], keeping: ["a1", "a2"]), from: "c") == 1)
        #expect(try await store.searchText("three", k: 5, in: "c").isEmpty)
        #expect(try await store.delete(.documents(["B"]), from: "c") == 1)
        #expect(try await store.delete(.documentsNotIn(["A"]), from: "c") == 1)
        #expect(try await store.delete(.ids(["a2", "zz"]), from: "c") == 1)
        #expect(try await store.collectionInfo("c")?.pointCount == 1)
        let hits = try await store.search([0, 1], k: 5, in: "c")
        #expect(hits.map(\.id) == ["a1"])
        #expect(try await store.searchText("alpha", k: 5, in: "c").map(\.id) == ["a1"])
    }

    @Test("an upsert replaces a point with the same id, and searches see writes made after loading")
    func replaceAndReload() async throws {
        let store = try Self.openStore()
        try await store.createCollection("c", dimension: 2, distance: .cosine, textAnalysis: .english)
        try await store.upsert([Self.point("p", "D", [1, 0], "wing")], into: "c")
        #expect(try await store.search([1, 0], k: 1, in: "c").first?.score == 1)
        try await store.upsert([Self.point("p", "D", [0, 3], "shock"), Self.point("q", "D", [3, 4], "wave")], into: "c")
        let hits = try await store.search([1, 0], k: 2, in: "c")
        // cos((1,0), (3,4)/5) = 0.6; cos((1,0), (0,1)) = 0.
        #expect(hits.map(\.id) == ["q", "p"])
        #expect(abs(hits[0].score - 0.6) < 1e-6)
        #expect(try await store.searchText("wing", k: 5, in: "c").isEmpty)
        #expect(try await store.searchText("shock", k: 5, in: "c").map(\.id) == ["p"])
    }

    @Test("hybrid search fuses the vector and BM25 rankings by RRF, computed by hand")
    func hybridByHand() async throws {
        let store = try Self.openStore()
        try await store.createCollection("c", dimension: 2, distance: .cosine, textAnalysis: .simple)
        try await store.upsert(
            [
                Self.point("x", "X", [1, 0], "shock shock"), Self.point("y", "Y", [0.8, 0.6], "wave"),
                Self.point("z", "Z", [0, 1], "shock"),
            ], into: "c")
        // Vector ranking for (1, 0): x (1), y (0.8), z (0). BM25 for "shock" (avgdl = 4/3):
        // x: tf 2, |D| 2: 2 / (2 + 1.5·(0.25 + 0.75·1.5)) = 2/4.0625 = 0.492;
        // z: tf 1, |D| 1: 1 / (1 + 1.5·(0.25 + 0.75·0.75)) = 1/2.21875 = 0.451 (times the same idf);
        // y has no "shock". RRF: x = 1/61 + 1/61 = 0.032787, z = 1/63 + 1/62 = 0.032002,
        // y = 1/62 = 0.016129 → x, z, y.
        let hits = try await store.hybrid(query: "shock", vector: [1, 0], k: 3, in: "c")
        #expect(hits.map(\.id) == ["x", "z", "y"])
        #expect(abs(hits[0].score - 2.0 / 61) < 1e-12)
        #expect(abs(hits[1].score - (1.0 / 63 + 1.0 / 62)) < 1e-12)
    }

    @Test("an alias serves its collection in searches and switches atomically")
    func aliases() async throws {
        let store = try Self.openStore()
        for name in ["docs-1", "docs-2"] {
            try await store.createCollection(name, dimension: 2, distance: .cosine, textAnalysis: .english)
            try await store.upsert([Self.point("only-\(name)", "D", [1, 0], name)], into: name)
        }
        #expect(try await store.resolveAlias("docs") == nil)
        try await store.setAlias("docs", to: "docs-1")
        #expect(try await store.resolveAlias("docs") == "docs-1")
        #expect(try await store.search([1, 0], k: 1, in: "docs").map(\.id) == ["only-docs-1"])
        try await store.setAlias("docs", to: "docs-2")
        #expect(try await store.resolveAlias("docs") == "docs-2")
        #expect(try await store.search([1, 0], k: 1, in: "docs").map(\.id) == ["only-docs-2"])
        #expect(try await store.collectionInfo("docs")?.name == "docs-2")
        #expect(try await store.listCollections() == ["docs-1", "docs-2"])
        await #expect(throws: VectorStoreError.self) { try await store.setAlias("docs", to: "missing") }
        await #expect(throws: VectorStoreError.self) { try await store.setAlias("docs-1", to: "docs-2") }
        #expect(try await store.deleteCollection("docs-2"))
        #expect(try await store.resolveAlias("docs") == nil)
    }

    @Test("mismatched collections and vectors are reported")
    func errors() async throws {
        let store = try Self.openStore()
        try await store.createCollection("c", dimension: 3, distance: .cosine, textAnalysis: .english)
        try await store.createCollection("c", dimension: 3, distance: .cosine, textAnalysis: .english)
        await #expect { try await store.createCollection("c", dimension: 4, distance: .cosine, textAnalysis: .english) } throws: {
            ($0 as? VectorStoreError)?.code == .collectionMismatch
        }
        await #expect { try await store.search([1, 0], k: 1, in: "c") } throws: { ($0 as? VectorStoreError)?.code == .invalidVector }
        await #expect { try await store.upsert([Self.point("p", "D", [1, .nan, 0])], into: "c") } throws: {
            ($0 as? VectorStoreError)?.code == .invalidVector
        }
        await #expect { try await store.search([1, 0, 0], k: 1, in: "nope") } throws: {
            ($0 as? VectorStoreError)?.code == .collectionNotFound
        }
    }
}

/// The abstracts of the Cranfield collection's SMART file: per `.I` record, the lines after `.W`
/// up to the next field, as Fixtures/bm25_reference.py reads them.
enum CranfieldText {
    static func abstracts(_ path: String) throws -> [(id: String, text: String)] {
        var records: [(id: String, text: String)] = []
        var inText = false
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(".I ") {
                records.append((String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces), ""))
                inText = false
            } else if [".T", ".A", ".B", ".W"].contains(line.trimmingCharacters(in: .whitespaces)) {
                inText = line.hasPrefix(".W")
            } else if inText {
                records[records.count - 1].text += line + "\n"
            }
        }
        return records
    }
}
