/// ROUGE precision, recall and F-measure, each in [0, 1] (rouge-score's `Score`).
public struct RougeScore: Sendable, Hashable {
    /// LCS length over the prediction's token count.
    public var precision: Double
    /// LCS length over the target's token count.
    public var recall: Double
    /// Harmonic mean of precision and recall; 0 when both are 0.
    public var fmeasure: Double

    /// A score from its three parts.
    public init(precision: Double, recall: Double, fmeasure: Double) {
        self.precision = precision
        self.recall = recall
        self.fmeasure = fmeasure
    }
}
