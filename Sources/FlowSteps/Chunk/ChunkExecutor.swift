public import FlowCore
public import FlowEngine
import Foundation

/// The `chunk` kind: documents.jsonl → chunks.jsonl, each chunk an exact slice of its
/// document with offsets and heading path. Reference: docs/steps/chunk.md.
public struct ChunkExecutor: StepExecutor {
    public init() {}

    public var spec: StepKindSpec {
        StepKindSpec(
            name: "chunk",
            summary: "Split documents into chunks of a bounded size, keeping offsets into the document.",
            inputs: [
                .init(
                    "documents", .string,
                    "Path of a parse step's documents.jsonl; by default `<workspace>/parse/documents.jsonl`."),
                .init(
                    "strategy", .oneOf(ChunkStrategy.allCases.map(\.rawValue)), default: .string("recursive"),
                    "`recursive`: split at headings, then paragraphs, lines, sentences, words; `fixed`: windows of exactly `size`."),
                .init("size", .int, default: .number(1000), "Largest chunk, in `unit`s."),
                .init("overlap", .int, default: .number(100), "Most text shared by neighbouring chunks, in `unit`s; less than `size`."),
                .init(
                    "unit", .oneOf(ChunkUnit.allCases.map(\.rawValue)), default: .string("characters"),
                    "`characters` (Unicode scalars) or `tokens` (flow's word-piece rule, an approximation of model tokens)."),
            ],
            outputs: [
                .init(
                    "chunks",
                    "Path of chunks.jsonl: one line per chunk (id, document_id, index, text, start, end, hash, changed, url, title, metadata)."
                ),
                .init("count", "Chunks written."),
                .init("documents", "Documents read."),
                .init("changed", "Chunks of documents marked changed."),
            ])
    }

    public func execute(_ invocation: StepInvocation) async throws -> [String: String] {
        let inputs = IngestInputs(kind: "chunk", invocation.inputs)
        let strategy: ChunkStrategy = try inputs.choice("strategy", default: .recursive)
        let unit: ChunkUnit = try inputs.choice("unit", default: .characters)
        let size = try inputs.int("size", default: 1000, in: 1...10_000_000)
        let overlap = try inputs.int("overlap", default: 100, in: 0...10_000_000)
        guard overlap < size else {
            throw StepFailure("chunk: input 'overlap' (\(overlap)) must be less than 'size' (\(size))", permanent: true)
        }
        let documentsPath =
            try inputs.string("documents").map {
                $0.hasPrefix("/") ? $0 : "\(invocation.workingDirectory)/\($0)"
            } ?? "\(invocation.workspace)/parse/documents.jsonl"
        guard FileManager.default.fileExists(atPath: documentsPath) else {
            throw StepFailure("chunk: documents file \(documentsPath) does not exist", permanent: true)
        }
        let documents: [DocumentRecord]
        do {
            documents = try JSONLines.read(DocumentRecord.self, from: documentsPath)
        } catch {
            throw StepFailure("chunk: cannot read documents: \(error)", permanent: true)
        }
        let chunker = TextChunker(strategy: strategy, size: size, overlap: overlap, unit: unit)
        let perDocument = try await Self.chunkAll(documents, chunker: chunker)
        let chunks = perDocument.flatMap { $0 }

        let path = "\(invocation.workspace)/\(invocation.stepID.rawValue)/chunks.jsonl"
        do {
            try JSONLines.write(chunks, to: path)
        } catch {
            throw StepFailure("chunk: cannot write \(path): \(error.localizedDescription)")
        }
        let changed = chunks.filter(\.changed).count
        invocation.log.write(
            "chunk: \(documents.count) documents → \(chunks.count) chunks (\(strategy.rawValue), \(size)/\(overlap) \(unit.rawValue))")
        return [
            "chunks": path,
            "count": String(chunks.count),
            "documents": String(documents.count),
            "changed": String(changed),
        ]
    }

    /// Chunks every document, as many at once as there are processors; results in order.
    static func chunkAll(_ documents: [DocumentRecord], chunker: TextChunker) async throws -> [[ChunkRecord]] {
        var results = [[ChunkRecord]](repeating: [], count: documents.count)
        let width = max(1, ProcessInfo.processInfo.activeProcessorCount)
        try await withThrowingTaskGroup(of: (Int, [ChunkRecord]).self) { group in
            var next = 0
            func start() {
                let index = next
                let document = documents[index]
                next += 1
                group.addTask { (index, Self.chunks(of: document, chunker: chunker)) }
            }
            while next < min(width, documents.count) { start() }
            while let (index, chunks) = try await group.next() {
                results[index] = chunks
                if next < documents.count { start() }
            }
        }
        return results
    }

    /// The chunk records of one document.
    static func chunks(of document: DocumentRecord, chunker: TextChunker) -> [ChunkRecord] {
        let headings = document.metadata.headings.sorted { $0.offset < $1.offset }
        let spans = chunker.spans(of: document.text, headingOffsets: headings.map(\.offset))
        let scalars = document.text.unicodeScalars
        var records: [ChunkRecord] = []
        records.reserveCapacity(spans.count)
        // Spans start in text order: walk the text and the headings forward once.
        var startIndex = scalars.startIndex, startOffset = 0
        var stack: [DocumentHeading] = []
        var nextHeading = 0
        for (index, span) in spans.enumerated() {
            startIndex = scalars.index(startIndex, offsetBy: span.start - startOffset)
            startOffset = span.start
            let endIndex = scalars.index(startIndex, offsetBy: span.end - span.start)
            while nextHeading < headings.count, headings[nextHeading].offset <= span.start {
                let heading = headings[nextHeading]
                while let last = stack.last, last.level >= heading.level { stack.removeLast() }
                stack.append(heading)
                nextHeading += 1
            }
            let text = String(scalars[startIndex..<endIndex])
            let length = chunker.unit == .characters ? span.end - span.start : WordTokenizer.count(text)
            records.append(
                ChunkRecord(
                    id: "\(document.id):\(index)", documentID: document.id, index: index, text: text, start: span.start,
                    end: span.end, hash: SHA256.hexDigest(of: text), changed: document.changed, url: document.url,
                    title: document.title,
                    metadata: ChunkMetadata(headingPath: stack.map(\.text), length: length, unit: chunker.unit.rawValue)))
        }
        return records
    }
}
