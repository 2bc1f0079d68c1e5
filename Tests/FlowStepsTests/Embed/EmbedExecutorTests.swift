import FlowCore
import FlowEngine
import Foundation
import Testing

@testable import FlowSteps

@Suite("embed step")
struct EmbedExecutorTests {
    /// A workspace with `chunk/chunks.jsonl` holding `lines`.
    static func workspace(_ lines: [String]) throws -> String {
        let workspace = try VectorFixtures.scratchDirectory("embed")
        try FileManager.default.createDirectory(atPath: workspace + "/chunk", withIntermediateDirectories: true)
        try (lines.joined(separator: "\n") + "\n").write(toFile: workspace + "/chunk/chunks.jsonl", atomically: true, encoding: .utf8)
        return workspace
    }

    static func invocation(_ workspace: String, _ inputs: [String: ExpressionValue], log: StepLog = .discarding) -> StepInvocation {
        StepInvocation(
            runID: RunID(rawValue: "r1"), workflow: WorkflowName("ingest"), stepID: StepID("embed"), attempt: 1, inputs: inputs,
            environment: [:], workspace: workspace, workingDirectory: workspace, log: log,
            databasePath: workspace + "/.flow/flow.sqlite")
    }

    static let chunks = [
        #"{"id":"a#0","document_id":"a","text":"Supersonic flow past a cone.","start":0,"end":28,"hash":"x","metadata":{"title":"A"}}"#,
        #"{"id":"a#1","document_id":"a","text":"Heat transfer at the wall.","start":29,"end":55,"hash":"y","metadata":{"title":"A"}}"#,
        #"{"id":"b#0","document_id":"b","text":"Supersonic flow past a cone.","start":0,"end":28,"hash":"z","metadata":{}}"#,
    ]

    @Test("writes vectors.f32 and vectors.jsonl, then takes unchanged chunks from the cache")
    func writesAndCaches() async throws {
        let workspace = try Self.workspace(Self.chunks)
        let outputs = try await EmbedExecutor().execute(Self.invocation(workspace, ["dimension": .number(16)]))
        #expect(outputs["count"] == "3")
        #expect(outputs["dimension"] == "16")
        // a#0 and b#0 have the same text: embedded once.
        #expect(outputs["embedded"] == "2")
        #expect(outputs["cached"] == "0")
        #expect(outputs["vectors"] == workspace + "/embed/vectors.f32")
        #expect(outputs["index"] == workspace + "/embed/vectors.jsonl")
        #expect(FileManager.default.fileExists(atPath: workspace + "/.flow/embeddings-cache.sqlite"))

        let (entries, vectors, dimension) = try VectorFiles.read(f32: outputs["vectors"]!, jsonl: outputs["index"]!, kind: "test")
        #expect(dimension == 16)
        #expect(entries.map(\.id) == ["a#0", "a#1", "b#0"])
        #expect(entries.map(\.documentID) == ["a", "a", "b"])
        #expect(entries[0].payload == ["start": .number(0), "end": .number(28), "metadata": .object(["title": .string("A")])])
        // The content hash is SHA-256 of the text (FIPS 180-4), not the chunk's own `hash`.
        #expect(entries[0].hash == SHA256.hexDigest(of: "Supersonic flow past a cone."))
        let embedder = HashEmbedder(dimension: 16)
        for (row, entry) in entries.enumerated() {
            #expect(Array(vectors[(row * 16)..<((row + 1) * 16)]) == embedder.vector(entry.text))
        }

        // Second run: nothing new. Third: one chunk edited, only it is embedded.
        let again = try await EmbedExecutor().execute(Self.invocation(workspace, ["dimension": .number(16)]))
        #expect(again["embedded"] == "0")
        #expect(again["cached"] == "3")
        var edited = Self.chunks
        edited[1] = edited[1].replacingOccurrences(of: "Heat transfer", with: "Skin friction")
        try (edited.joined(separator: "\n") + "\n").write(toFile: workspace + "/chunk/chunks.jsonl", atomically: true, encoding: .utf8)
        let third = try await EmbedExecutor().execute(Self.invocation(workspace, ["dimension": .number(16)]))
        #expect(third["embedded"] == "1")
        #expect(third["cached"] == "2")
    }

    @Test("accepts a documents file (id, text) as chunks of themselves")
    func documentsFile() async throws {
        let workspace = try VectorFixtures.scratchDirectory("embed")
        let path = workspace + "/documents.jsonl"
        try """
        {"id":"doc-1","url":"file:///a.html","title":"A","text":"Wing flutter","hash":"h1","metadata":{}}

        {"id":7,"title":"B","text":"Shock waves"}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let outputs = try await EmbedExecutor().execute(Self.invocation(workspace, ["chunks": .string("documents.jsonl")]))
        #expect(outputs["count"] == "2")
        #expect(outputs["dimension"] == "384")
        let (entries, _, _) = try VectorFiles.read(f32: outputs["vectors"]!, jsonl: outputs["index"]!, kind: "test")
        #expect(entries.map(\.id) == ["doc-1", "7"])
        #expect(entries.map(\.documentID) == ["doc-1", "7"])
        #expect(entries[0].payload["url"] == .string("file:///a.html"))
    }

    @Test(
        "reports the file and line of a bad record",
        arguments: [
            (#"{"id":"a","text":"x"}"# + "\n" + #"{"id":"a","text":"y"}"#, ":2: id 'a' was already used on line 1"),
            (#"{"id":"a"}"#, ":1: no string field 'text'"),
            (#"{"text":"x"}"#, ":1: no string or number field 'id'"),
            ("[1,2]", ":1: not a JSON object"),
        ])
    func badRecords(content: String, message: String) async throws {
        let workspace = try Self.workspace([content])
        await #expect {
            _ = try await EmbedExecutor().execute(Self.invocation(workspace, [:]))
        } throws: { error in
            guard let failure = error as? StepFailure else { return false }
            return failure.isPermanent && failure.message.contains("chunks.jsonl" + message)
        }
    }

    @Test("rejects bad inputs before doing anything")
    func badInputs() async throws {
        let workspace = try Self.workspace(Self.chunks)
        for inputs: [String: ExpressionValue] in [
            ["provider": .string("word2vec")], ["provider": .string("openai")], ["dimension": .number(0)],
            ["batch_size": .string("many")], ["timeout": .string("soon")],
        ] {
            await #expect(throws: StepFailure.self) { _ = try await EmbedExecutor().execute(Self.invocation(workspace, inputs)) }
        }
    }

    @Test("embeds through an OpenAI-compatible server, and not again on the second run")
    func openAIProvider() async throws {
        guard let server = try FakeServer.start(script: OpenAIEmbedderTests.script) else { return }
        defer { server.stop() }
        let workspace = try Self.workspace(Self.chunks)
        let lines = LogLines()
        let inputs: [String: ExpressionValue] = [
            "provider": .string("openai"), "model": .string("test-embed"), "base_url": .string(server.baseURL.absoluteString + "/v1"),
            "api_key": .string(OpenAIEmbedderTests.apiKey), "batch_size": .number(1),
        ]
        let outputs = try await EmbedExecutor().execute(Self.invocation(workspace, inputs, log: lines.log))
        #expect(outputs["dimension"] == "3")
        #expect(outputs["embedded"] == "2")
        #expect(try server.requests().count == 2)
        let again = try await EmbedExecutor().execute(Self.invocation(workspace, inputs, log: lines.log))
        #expect(again["embedded"] == "0")
        #expect(try server.requests().count == 2)
        #expect(!lines.all.joined().contains(OpenAIEmbedderTests.apiKey))
        let (_, vectors, _) = try VectorFiles.read(f32: outputs["vectors"]!, jsonl: outputs["index"]!, kind: "test")
        #expect(Array(vectors[0..<3]) == OpenAIEmbedderTests.expected("Supersonic flow past a cone."))
    }
}
