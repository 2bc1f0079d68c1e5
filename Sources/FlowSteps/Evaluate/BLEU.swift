import Foundation

/// Corpus BLEU exactly as sacrebleu 2.x computes it with its defaults
/// (`BLEU().corpus_score(hypotheses, references)`): `13a` tokenization, case-sensitive,
/// n-grams up to 4, exponential smoothing (mteval-v13a's), closest reference length for the
/// brevity penalty (ties to the shorter). Formula: Papineni et al. 2002;
/// BLEU = BP · exp(Σₙ log pₙ / 4), BP = exp(1 − r/c) when c < r.
public enum BLEU {
    /// Scores `hypotheses` against one or more reference sets.
    ///
    /// - Parameters:
    ///   - hypotheses: one system output per segment.
    ///   - references: sacrebleu's layout — one array per reference set, each with one
    ///     reference per hypothesis (`references[set][segment]`).
    /// - Throws: `EvaluationError` `.lengthMismatch` when there are no reference sets or a
    ///   set's count differs from the hypotheses'. No hypotheses give a score of 0.
    public static func corpusScore(hypotheses: [String], references: [[String]])
        throws(EvaluationError) -> BLEUScore
    {
        guard !references.isEmpty else {
            throw EvaluationError(.lengthMismatch, "BLEU needs at least one reference set")
        }
        for (set, stream) in references.enumerated() where stream.count != hypotheses.count {
            throw EvaluationError(
                .lengthMismatch,
                "reference set \(set + 1) has \(stream.count) segments for \(hypotheses.count) hypotheses")
        }
        var vocabulary = NGramVocabulary()
        var correct = [Int](repeating: 0, count: maxOrder)
        var total = [Int](repeating: 0, count: maxOrder)
        var systemLength = 0
        var referenceLength = 0
        for (segment, hypothesis) in hypotheses.enumerated() {
            var referenceCounts: [NGram: Int] = [:]
            // The reference length closest to the hypothesis length, the shorter on a tie.
            var closestDifference = -1
            var closestLength = 0
            let hypothesisTokens = vocabulary.ids(Tokenizer13a.tokenize(hypothesis))
            for stream in references {
                let tokens = vocabulary.ids(Tokenizer13a.tokenize(stream[segment]))
                for (ngram, count) in ngramCounts(tokens) where count > referenceCounts[ngram] ?? 0 {
                    referenceCounts[ngram] = count
                }
                let difference = abs(hypothesisTokens.count - tokens.count)
                if closestDifference == -1 || difference < closestDifference
                    || (difference == closestDifference && tokens.count < closestLength)
                {
                    closestDifference = difference
                    closestLength = tokens.count
                }
            }
            systemLength += hypothesisTokens.count
            referenceLength += closestLength
            for (ngram, count) in ngramCounts(hypothesisTokens) {
                total[ngram.order - 1] += count
                if let referenceCount = referenceCounts[ngram] {
                    correct[ngram.order - 1] += min(count, referenceCount)
                }
            }
        }
        return score(
            correct: correct, total: total, systemLength: systemLength,
            referenceLength: referenceLength)
    }

    static let maxOrder = 4

    /// sacrebleu `BLEU.compute_bleu` with `smooth_method='exp'`, `effective_order=False`.
    static func score(correct: [Int], total: [Int], systemLength: Int, referenceLength: Int)
        -> BLEUScore
    {
        var brevityPenalty = 1.0
        if systemLength < referenceLength {
            brevityPenalty =
                systemLength > 0
                ? exp(1 - Double(referenceLength) / Double(systemLength)) : 0
        }
        var precisions = [Double](repeating: 0, count: maxOrder)
        func result(_ score: Double) -> BLEUScore {
            BLEUScore(
                score: score, counts: correct, totals: total, precisions: precisions,
                brevityPenalty: brevityPenalty, systemLength: systemLength,
                referenceLength: referenceLength)
        }
        // sacrebleu returns 0 at once when nothing matched at any order.
        guard correct.contains(where: { $0 != 0 }) else { return result(0) }
        var smoothing = 1.0
        for n in 0..<maxOrder {
            if total[n] == 0 { break }
            if correct[n] == 0 {
                smoothing *= 2
                precisions[n] = 100 / (smoothing * Double(total[n]))
            } else {
                precisions[n] = 100 * Double(correct[n]) / Double(total[n])
            }
        }
        // sacrebleu's my_log: log(0) is floored to -9999999999.
        var logSum = 0.0
        for precision in precisions { logSum += precision == 0 ? -9_999_999_999 : log(precision) }
        return result(brevityPenalty * exp(logSum / Double(maxOrder)))
    }

    /// Counts of all n-grams of order 1...4 in `tokens`.
    private static func ngramCounts(_ tokens: [Int32]) -> [NGram: Int] {
        var counts: [NGram: Int] = [:]
        for order in 1...maxOrder where tokens.count >= order {
            for start in 0...(tokens.count - order) {
                counts[NGram(tokens[start..<start + order]), default: 0] += 1
            }
        }
        return counts
    }
}

extension BLEU {
    /// Interns tokens as integers, comparing them by code points as Python does (Swift's `==` on
    /// `String` would equate canonically equivalent spellings such as "é" and "e\u{301}").
    struct NGramVocabulary {
        private var ids: [[UInt8]: Int32] = [:]

        mutating func ids(_ tokens: [String]) -> [Int32] {
            tokens.map { token in
                let key = Array(token.utf8)
                if let id = ids[key] { return id }
                let id = Int32(ids.count)
                ids[key] = id
                return id
            }
        }
    }

    /// Up to four token ids; unused slots are -1.
    struct NGram: Hashable {
        let order: Int
        private let a: Int32, b: Int32, c: Int32, d: Int32

        init(_ tokens: ArraySlice<Int32>) {
            let base = tokens.startIndex
            order = tokens.count
            a = tokens[base]
            b = order > 1 ? tokens[base + 1] : -1
            c = order > 2 ? tokens[base + 2] : -1
            d = order > 3 ? tokens[base + 3] : -1
        }
    }
}
