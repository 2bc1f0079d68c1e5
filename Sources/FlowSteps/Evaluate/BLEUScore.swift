/// A corpus BLEU result with sacrebleu's fields (`sacrebleu.metrics.bleu.BLEUScore`).
public struct BLEUScore: Sendable, Equatable {
    /// BLEU in [0, 100].
    public var score: Double
    /// Matched n-grams for n = 1...4, clipped by the reference counts.
    public var counts: [Int]
    /// Hypothesis n-grams for n = 1...4.
    public var totals: [Int]
    /// n-gram precisions in percent, n = 1...4, after exponential smoothing.
    public var precisions: [Double]
    /// Brevity penalty in [0, 1].
    public var brevityPenalty: Double
    /// `systemLength / referenceLength`, 0 when the reference length is 0.
    public var ratio: Double
    /// Hypothesis tokens in the corpus (sacrebleu's `sys_len`).
    public var systemLength: Int
    /// Closest reference length summed over sentences (sacrebleu's `ref_len`).
    public var referenceLength: Int

    /// A score from its statistics; `ratio` is derived from the two lengths.
    public init(
        score: Double, counts: [Int], totals: [Int], precisions: [Double],
        brevityPenalty: Double, systemLength: Int, referenceLength: Int
    ) {
        self.score = score
        self.counts = counts
        self.totals = totals
        self.precisions = precisions
        self.brevityPenalty = brevityPenalty
        self.systemLength = systemLength
        self.referenceLength = referenceLength
        self.ratio = referenceLength > 0 ? Double(systemLength) / Double(referenceLength) : 0
    }
}
