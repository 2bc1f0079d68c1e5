import Foundation
import Testing

@testable import FlowSteps

/// Expected values are sacrebleu 2.6.0's, written by Fixtures/generate.py.
@Suite("Corpus BLEU matches sacrebleu")
struct BLEUTests {
    struct Case: Decodable, Sendable {
        var hypotheses: [String]
        var references: [[String]]
        var score: Double
        var counts: [Int]
        var totals: [Int]
        var precisions: [Double]
        var bp: Double
        var ratio: Double
        var sys_len: Int
        var ref_len: Int
    }

    struct Expected: Decodable, Sendable {
        var cases: [String: Case]
        var tokens: [String: [String]]
    }

    static let expected = try? EvaluateFixtures.decode(Expected.self, "bleu/expected.json")

    @Test("13a tokenization of every fixture sentence equals sacrebleu's")
    func tokens() throws {
        let tokens = try #require(Self.expected?.tokens)
        #expect(tokens.count >= 60)
        for (sentence, expected) in tokens {
            let ours = Tokenizer13a.tokenize(sentence)
            // Compare code points: Swift's == on String would forgive a normalisation change.
            let oursScalars: [[Unicode.Scalar]] = ours.map { Array($0.unicodeScalars) }
            let theirScalars: [[Unicode.Scalar]] = expected.map { Array($0.unicodeScalars) }
            #expect(oursScalars == theirScalars, "\(sentence.debugDescription): \(ours) vs \(expected)")
        }
    }

    @Test("corpus scores and statistics", arguments: (BLEUTests.expected?.cases.keys.sorted() ?? []))
    func corpus(name: String) throws {
        let expected = try #require(Self.expected?.cases[name])
        let score = try BLEU.corpusScore(hypotheses: expected.hypotheses, references: expected.references)
        #expect(abs(score.score - expected.score) <= 1e-6)
        #expect(score.counts == expected.counts)
        #expect(score.totals == expected.totals)
        #expect(score.precisions.count == expected.precisions.count)
        for (ours, theirs) in zip(score.precisions, expected.precisions) {
            #expect(abs(ours - theirs) <= 1e-6)
        }
        #expect(abs(score.brevityPenalty - expected.bp) <= 1e-6)
        #expect(abs(score.ratio - expected.ratio) <= 1e-6)
        #expect(score.systemLength == expected.sys_len)
        #expect(score.referenceLength == expected.ref_len)
    }

    @Test("the one-reference corpus has at least 30 sentence pairs")
    func corpusSize() throws {
        let corpus = try #require(Self.expected?.cases["one_reference"])
        #expect(corpus.hypotheses.count >= 30)
    }

    @Test("reference sets must match the hypotheses in count")
    func lengthMismatch() {
        #expect(throws: EvaluationError(.lengthMismatch, "reference set 2 has 1 segments for 2 hypotheses")) {
            try BLEU.corpusScore(hypotheses: ["a", "b"], references: [["a", "b"], ["a"]])
        }
        #expect(throws: EvaluationError.self) { try BLEU.corpusScore(hypotheses: ["a"], references: []) }
    }
}
