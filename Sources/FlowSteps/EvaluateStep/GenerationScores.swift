/// Corpus BLEU and mean ROUGE-L of generated answers against their references.
public struct GenerationScores: Sendable, Equatable {
    /// sacrebleu's corpus BLEU (0…100) with its default settings (`BLEU`).
    public var bleu: BLEUScore
    /// Mean over the examples of ROUGE-L F-measure (0…1); with several references an example
    /// takes its best one, as rouge-score's `score_multi` does.
    public var rougeL: Double
    /// Number of examples.
    public var count: Int

    /// Scores `examples`.
    ///
    /// - Throws: `EvaluationError` `.lengthMismatch` when the examples have different numbers of
    ///   references (sacrebleu's corpus BLEU reads references as parallel streams, one
    ///   reference per example in each).
    public static func score(_ examples: [GenerationExample]) throws(EvaluationError) -> GenerationScores {
        let streams = examples.first?.references.count ?? 1
        if let odd = examples.first(where: { $0.references.count != streams }) {
            throw EvaluationError(
                .lengthMismatch,
                "example \(odd.id) has \(odd.references.count) references, the first has \(streams): give every example the same number")
        }
        let references = (0..<streams).map { stream in examples.map { $0.references[stream] } }
        let bleu = try BLEU.corpusScore(hypotheses: examples.map(\.prediction), references: references)
        var sum = 0.0
        for example in examples {
            sum += example.references.map { RougeL.score(target: $0, prediction: example.prediction).fmeasure }.max() ?? 0
        }
        return GenerationScores(bleu: bleu, rougeL: examples.isEmpty ? 0 : sum / Double(examples.count), count: examples.count)
    }
}
