import FlowCore
import FlowEngine
import Foundation
import Testing

@testable import FlowSteps

@Suite("Chunk step")
struct ChunkExecutorTests {
    @Test("writes chunks with offsets, hashes and heading paths")
    func small() async throws {
        let root = try IngestFixtures.temporaryFolder("chunk")
        defer { try? FileManager.default.removeItem(atPath: root) }
        // "# A\n\n" (0..<5), "Alpha text one.\n" (5..<21), "## B\n\n" (21..<27), "Beta text two." (27..<41).
        let text = "# A\n\nAlpha text one.\n## B\n\nBeta text two."
        let document = DocumentRecord(
            id: "doc1", url: "file:///doc1.md", title: "Doc", text: text, hash: SHA256.hexDigest(of: text), changed: true,
            metadata: DocumentMetadata(
                contentType: "text/markdown", sourcePath: "/doc1.md",
                headings: [
                    DocumentHeading(level: 1, text: "A", offset: 0), DocumentHeading(level: 2, text: "B", offset: 21),
                ]))
        try JSONLines.write([document], to: root + "/parse/documents.jsonl")
        let outputs = try await ChunkExecutor().execute(
            IngestFixtures.invocation(
                step: "chunk", inputs: ["size": .number(25), "overlap": .number(0)], workspace: root))
        #expect(outputs["count"] == "2")
        #expect(outputs["documents"] == "1")
        #expect(outputs["changed"] == "2")
        let chunks = try JSONLines.read(ChunkRecord.self, from: root + "/chunk/chunks.jsonl")
        // Sections [0,21) (21 ≤ 25) and [21,41) (20): 21+20 > 25 → two chunks, trimmed.
        #expect(chunks.map(\.text) == ["# A\n\nAlpha text one.", "## B\n\nBeta text two."])
        #expect(chunks.map(\.id) == ["doc1:0", "doc1:1"])
        #expect(chunks.map { [$0.start, $0.end] } == [[0, 20], [21, 41]])
        #expect(chunks.map(\.metadata.headingPath) == [["A"], ["A", "B"]])
        #expect(chunks.map(\.metadata.length) == [20, 20])
        // `printf '# A\n\nAlpha text one.' | sha256sum`
        #expect(chunks[0].hash == "61ba8a245930c5a169e0bd4f70d71f8c07685bc7914169caa01945b599fbdd98")
    }

    @Test("rejects an overlap not below the size")
    func badOverlap() async throws {
        let root = try IngestFixtures.temporaryFolder("chunk-bad")
        defer { try? FileManager.default.removeItem(atPath: root) }
        await #expect {
            _ = try await ChunkExecutor().execute(
                IngestFixtures.invocation(
                    step: "chunk", inputs: ["size": .number(10), "overlap": .number(10)], workspace: root))
        } throws: { error in
            (error as? StepFailure)?.isPermanent == true && "\(error)".contains("'overlap' (10) must be less than 'size' (10)")
        }
    }

    /// The whole Python documentation, parsed, then chunked: each chunk is exactly its slice
    /// of the document, within the size, in order, and together the chunks leave out nothing
    /// but whitespace.
    @Test(
        "keeps exact offsets over the whole Python documentation",
        .enabled(
            if: IngestFixtures.pythonDocsInstalled || IngestFixtures.isCI,
            "needs python3-doc (apt-get install python3-doc)"),
        .timeLimit(.minutes(10)))
    func pythonDocs() async throws {
        try #require(IngestFixtures.pythonDocsInstalled, "python3-doc is not installed: apt-get install python3-doc")
        let root = try IngestFixtures.temporaryFolder("chunk-docs")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let parsed = try await ParseExecutor().execute(
            IngestFixtures.invocation(
                step: "parse", inputs: ["path": .string(IngestFixtures.pythonDocs + "/**/*.html")], workspace: root))
        #expect(parsed["count"] == "530")
        let documents = try JSONLines.read(DocumentRecord.self, from: root + "/parse/documents.jsonl")
        for (strategy, size, overlap, unit) in [
            (ChunkStrategy.recursive, 1000, 100, ChunkUnit.characters), (.recursive, 256, 32, .tokens),
            (.fixed, 500, 50, .characters),
        ] {
            check(documents, TextChunker(strategy: strategy, size: size, overlap: overlap, unit: unit))
        }
    }

    func check(_ documents: [DocumentRecord], _ chunker: TextChunker) {
        let strategy = chunker.strategy.rawValue
        let size = chunker.size
        var total = 0
        for document in documents {
            let chunks = ChunkExecutor.chunks(of: document, chunker: chunker)
            total += chunks.count
            let scalars = Array(document.text.unicodeScalars)
            func text(_ a: Int, _ b: Int) -> String {
                var s = ""
                s.unicodeScalars.append(contentsOf: scalars[a..<b])
                return s
            }
            var previousEnd = 0
            var previousStart = -1
            for chunk in chunks {
                #expect(chunk.text == text(chunk.start, chunk.end), "\(document.url) \(chunk.id)")
                #expect(chunk.start < chunk.end && chunk.start > previousStart, "\(document.url) \(chunk.id)")
                #expect(chunk.metadata.length <= size, "\(document.url) \(chunk.id)")
                if strategy == "recursive" {
                    // Anything between chunks is whitespace.
                    if chunk.start > previousEnd {
                        let blank = text(previousEnd, chunk.start).allSatisfy { $0.isWhitespace }
                        #expect(blank, "\(document.url) \(chunk.id)")
                    }
                } else {
                    #expect(chunk.start <= previousEnd || previousStart < 0, "\(document.url) \(chunk.id)")
                }
                previousEnd = max(previousEnd, chunk.end)
                previousStart = chunk.start
            }
            let blankTail = text(previousEnd, scalars.count).allSatisfy { $0.isWhitespace }
            #expect(blankTail, "\(document.url) tail")
            // A chunk starting on a heading line carries that heading last in its path.
            let headingStarts = Dictionary(document.metadata.headings.map { ($0.offset, $0.text) }, uniquingKeysWith: { a, _ in a })
            for chunk in chunks where strategy == "recursive" {
                if let heading = headingStarts[chunk.start] {
                    #expect(chunk.metadata.headingPath.last == heading, "\(document.url) \(chunk.id)")
                }
            }
        }
        #expect(total > documents.count)
    }
}
