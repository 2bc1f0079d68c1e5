import Foundation
import Testing

@testable import FlowSteps

/// Expected values are rouge-score 0.1.2's (`RougeScorer(['rougeL'])`, NLTK 3.10.4's Porter
/// stemmer for `use_stemmer=True`), written by Fixtures/generate.py.
@Suite("ROUGE-L matches rouge-score")
struct RougeLTests {
    struct Pair: Decodable, Sendable, CustomTestStringConvertible {
        var target: String
        var prediction: String
        /// precision, recall, F-measure
        var plain: [Double]
        var stemmed: [Double]
        var testDescription: String { target.prefix(40).debugDescription }
    }

    static let pairs = (try? EvaluateFixtures.decode([Pair].self, "rouge/expected.json")) ?? []

    @Test("at least 30 fixture pairs are loaded")
    func count() {
        #expect(Self.pairs.count >= 30)
    }

    @Test("precision, recall and F-measure without the stemmer", arguments: RougeLTests.pairs)
    func plain(pair: Pair) {
        let score = RougeL.score(target: pair.target, prediction: pair.prediction)
        #expect(abs(score.precision - pair.plain[0]) <= 1e-6)
        #expect(abs(score.recall - pair.plain[1]) <= 1e-6)
        #expect(abs(score.fmeasure - pair.plain[2]) <= 1e-6)
    }

    @Test("precision, recall and F-measure with the Porter stemmer", arguments: RougeLTests.pairs)
    func stemmed(pair: Pair) {
        let score = RougeL.score(target: pair.target, prediction: pair.prediction, useStemmer: true)
        #expect(abs(score.precision - pair.stemmed[0]) <= 1e-6)
        #expect(abs(score.recall - pair.stemmed[1]) <= 1e-6)
        #expect(abs(score.fmeasure - pair.stemmed[2]) <= 1e-6)
    }
}

/// Expected stems are NLTK 3.10.4's `PorterStemmer().stem`, written by Fixtures/generate.py.
@Suite("Porter stemmer matches NLTK")
struct PorterStemmerTests {
    @Test("every fixture word stems as NLTK stems it")
    func stems() throws {
        let expected = try EvaluateFixtures.decode([String: String].self, "rouge/stems.json")
        #expect(expected.count > 2000)
        var mismatches: [String] = []
        for (word, stem) in expected where PorterStemmer.stem(word) != stem {
            mismatches.append("\(word): \(PorterStemmer.stem(word)) vs \(stem)")
        }
        #expect(mismatches.isEmpty, "\(mismatches.sorted().prefix(20))")
    }
}
