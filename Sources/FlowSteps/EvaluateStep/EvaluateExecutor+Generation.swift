import FlowCore
import FlowEngine
import Foundation

extension EvaluateExecutor {
    /// What the generation half of a step measured.
    struct GenerationOutcome: Sendable {
        var count: Int
        var scores: GenerationScores
        /// One per example when a judge graded them.
        var verdicts: [JudgeVerdict]?
        var values: [GenerationMetric: Double]
        /// SHA-256 (hex) of the generations file's bytes.
        var setHash: String
    }

    /// Scores the generated answers in `path` (BLEU, ROUGE-L, and the judge when configured).
    /// - Throws: a permanent `StepFailure` for an unreadable or malformed file; the judge's
    ///   failures.
    func evaluateGeneration(path: String, plan: EvaluationPlan, log: StepLog) async throws -> GenerationOutcome {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StepFailure("evaluate: cannot read \(path)", permanent: true)
        }
        let examples: [GenerationExample]
        let scores: GenerationScores
        do {
            examples = try GenerationExample.parseJSONL(String(decoding: data, as: UTF8.self), file: path)
            guard !examples.isEmpty else { throw EvaluationError(.malformedLine, "no generated answers", file: path) }
            scores = try GenerationScores.score(examples)
        } catch {
            throw StepFailure("evaluate: \(error)", permanent: true)
        }
        var values: [GenerationMetric: Double] = [.bleu: scores.bleu.score, .rougeL: scores.rougeL]
        var verdicts: [JudgeVerdict]?
        if let settings = plan.judge {
            log.write("evaluate: judge: grading \(examples.count) answers with \(settings.model) at \(settings.baseURL.absoluteString)")
            let graded = try await settings.makeJudge(log: log).grade(examples)
            values[.judge] = graded.reduce(0) { $0 + $1.score } / Double(graded.count)
            verdicts = graded
        }
        return GenerationOutcome(
            count: examples.count, scores: scores, verdicts: verdicts, values: values, setHash: SHA256.hexDigest(data))
    }
}
