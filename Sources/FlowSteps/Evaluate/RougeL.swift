/// ROUGE-L (longest common subsequence; Lin 2004) exactly as Google's rouge-score 0.1.x
/// computes it with `RougeScorer(['rougeL'])`: its default tokenizer, LCS over the whole
/// texts (not the summary-level `rougeLsum`).
public enum RougeL {
    /// Scores `prediction` against `target`: precision = LCS / prediction tokens,
    /// recall = LCS / target tokens, F = 2PR / (P + R). All 0 when either text has no token.
    ///
    /// - Parameter useStemmer: stem tokens longer than 3 characters with NLTK's Porter stemmer,
    ///   as `RougeScorer(['rougeL'], use_stemmer=True)`; off by default, as in rouge-score.
    public static func score(target: String, prediction: String, useStemmer: Bool = false)
        -> RougeScore
    {
        let targetTokens = RougeTokenizer.tokenize(target, stem: useStemmer)
        let predictionTokens = RougeTokenizer.tokenize(prediction, stem: useStemmer)
        guard !targetTokens.isEmpty, !predictionTokens.isEmpty else {
            return RougeScore(precision: 0, recall: 0, fmeasure: 0)
        }
        let lcs = Double(lcsLength(targetTokens, predictionTokens))
        let precision = lcs / Double(predictionTokens.count)
        let recall = lcs / Double(targetTokens.count)
        let fmeasure = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
        return RougeScore(precision: precision, recall: recall, fmeasure: fmeasure)
    }

    /// Length of the longest common subsequence; O(n·m) time, O(m) memory.
    static func lcsLength(_ a: [String], _ b: [String]) -> Int {
        var previous = [Int](repeating: 0, count: b.count + 1)
        var current = previous
        for i in 1...a.count {
            for j in 1...b.count {
                current[j] = a[i - 1] == b[j - 1] ? previous[j - 1] + 1 : max(previous[j], current[j - 1])
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
