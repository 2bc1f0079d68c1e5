/// A measure of generated answers that `evaluate` reports.
public enum GenerationMetric: String, Sendable, Hashable, CaseIterable {
    /// Corpus BLEU, 0…100 (`BLEU`, sacrebleu's defaults).
    case bleu
    /// Mean ROUGE-L F-measure, 0…1 (`RougeL`, as Google's rouge-score).
    case rougeL = "rouge_l"
    /// Mean score of the LLM judge, on its scale (`ChatJudge`).
    case judge
}
