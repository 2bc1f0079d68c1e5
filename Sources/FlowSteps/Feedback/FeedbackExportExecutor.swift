public import FlowCore
public import FlowEngine
import Foundation

/// `uses: feedback-export`: query and click logs (`FeedbackEvent`) → training examples for
/// fine-tuning an embedding model (`TrainingPairs`): the query, the clicked passages as
/// positives and the shown-but-not-clicked passages as hard negatives.
/// See docs/steps/feedback-export.md.
public struct FeedbackExportExecutor: StepExecutor {
    public init() {}

    public let spec = StepKindSpec(
        name: "feedback-export",
        summary: "Turn query/click logs into fine-tuning pairs: query, clicked passages, shown-but-not-clicked hard negatives",
        inputs: [
            .init(
                "feedback", .string, required: true,
                "Feedback events as JSONL: `{\"query\", \"shown\": [ids or {id, text}], \"clicked\": [ids], \"rating\"}` per line"),
            .init(
                "passages", .string,
                "JSONL with `id` and `text` per line (e.g. the chunk step's chunks.jsonl) for passages logged by id only"),
            .init("max_negatives", .int, default: .number(7), "Hard negatives kept per query (0–1000)"),
            .init("min_rating", .number, "Leave out events rated below this (events without a rating are kept)"),
        ],
        outputs: [
            .init("pairs", "Path of pairs.jsonl: `{\"query\", \"pos\": [texts], \"neg\": [texts]}` per line (FlagEmbedding's layout)"),
            .init("count", "Examples written (queries with at least one click)"),
            .init("events", "Events read"),
            .init("skipped", "Queries without a click, events rated too low, and passages without text"),
        ])

    public func execute(_ invocation: StepInvocation) async throws -> [String: String] {
        let inputs = VectorStepInputs(kind: "feedback-export", invocation.inputs, workingDirectory: invocation.workingDirectory)
        guard let feedbackPath = try inputs.path("feedback") else {
            throw StepFailure("feedback-export: input 'feedback' is required", permanent: true)
        }
        let maxNegatives = try inputs.int("max_negatives", in: 0...1000) ?? 7
        let minimumRating = try inputs.evaluationNumber("min_rating")
        let events: [FeedbackEvent]
        do {
            events = try FeedbackEvent.read(feedbackPath)
        } catch {
            throw StepFailure("feedback-export: \(error)", permanent: true)
        }
        var texts: [String: String] = [:]
        if let passagesPath = try inputs.path("passages") {
            texts = try Self.passageTexts(passagesPath)
        }
        let (examples, skipped) = TrainingPairs.build(events, texts: texts, maxNegatives: maxNegatives, minimumRating: minimumRating)
        let folder = (invocation.workspace as NSString).appendingPathComponent(invocation.stepID.rawValue)
        let path = (folder as NSString).appendingPathComponent("pairs.jsonl")
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try TrainingPairs.jsonl(examples).write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw StepFailure("feedback-export: cannot write \(path): \((error as NSError).localizedDescription)")
        }
        invocation.log.write(
            "feedback-export: \(events.count) events → \(examples.count) examples in \(path); skipped \(skipped.unclicked) queries "
                + "without a click, \(skipped.lowRated) low-rated events, \(skipped.unknownPassages) passages without text")
        return [
            "pairs": path, "count": String(examples.count), "events": String(events.count),
            "skipped": String(skipped.unclicked + skipped.lowRated + skipped.unknownPassages),
        ]
    }

    /// `id` → `text` of a JSONL file of passages (lines without both are skipped).
    /// - Throws: a permanent `StepFailure` when the file cannot be read or a line is not JSON.
    static func passageTexts(_ path: String) throws(StepFailure) -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StepFailure("feedback-export: cannot read \(path)", permanent: true)
        }
        var texts: [String: String] = [:]
        var line = 0
        for raw in String(decoding: data, as: UTF8.self).split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" }) {
            line += 1
            if raw.allSatisfy(\.isWhitespace) { continue }
            guard let object = (try? ExpressionValue(parsingJSON: String(raw)))?.objectValue else {
                throw StepFailure("feedback-export: \(path):\(line): not a JSON object", permanent: true)
            }
            let id: String? =
                switch object["id"] {
                case .string(let s)?: s
                case .number?: object["id"]!.renderedString
                default: nil
                }
            if let id, let text = object["text"]?.stringValue { texts[id] = text }
        }
        return texts
    }
}
