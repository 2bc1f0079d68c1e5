import Foundation
import Testing

@testable import FlowSteps

@Suite("hash embedder")
struct HashEmbedderTests {
    @Test(
        "FNV-1a 64 gives the published test values",
        arguments: [("", 0xcbf2_9ce4_8422_2325 as UInt64), ("a", 0xaf63_dc4c_8601_ec8c), ("foobar", 0x8594_4171_f739_67e8)])
    func fnvTestVectors(text: String, expected: UInt64) {
        // IETF draft-eastlake-fnv, test vectors for FNV-1a 64.
        #expect(FNV1a64.hash(text) == expected)
    }

    @Test("a one-letter word gives its word feature and one character 3-gram, computed by hand")
    func oneLetterByHand() {
        // Features of "x": "w:x" (weight 3) and "c:<x>" (the only 3-gram of "<x>", weight 1).
        // FNV-1a 64 (Python, hash_embedding.py): "w:x" → 0x5f62ed1949174534: mod 8 = 4
        // (0x34 = 52 = 6·8 + 4), bit 63 clear → +3 at index 4; "c:<x>" → 0xaeedd8f5617927a6:
        // mod 8 = 6 (0xa6 = 166 = 20·8 + 6), bit 63 set → −1 at index 6.
        // Norm √(3² + 1²) = √10, so v = [0, 0, 0, 0, 3/√10, 0, −1/√10, 0]
        //                            = [0, 0, 0, 0, 0.9486833, 0, −0.3162278, 0].
        #expect(HashEmbedder.features("x") == ["w:x": 3, "c:<x>": 1])
        let v = HashEmbedder(dimension: 8).vector("x")
        let expected: [Float] = [0, 0, 0, 0, 0.948_683_3, 0, -0.316_227_8, 0]
        #expect(v.count == 8)
        for (a, b) in zip(v, expected) { #expect(abs(a - b) < 1e-6) }
    }

    @Test("features of a word: lowercased, stop words dropped, fastText boundary n-grams")
    func featuresOfWing() {
        // "The Wing": "the" is a stop word; "<wing>" has 3-grams <wi win ing ng>,
        // 4-grams <win wing ing>, 5-grams <wing wing>.
        let expected: [String: Double] = [
            "w:wing": 3, "c:<wi": 1, "c:win": 1, "c:ing": 1, "c:ng>": 1, "c:<win": 1, "c:wing": 1, "c:ing>": 1,
            "c:<wing": 1, "c:wing>": 1,
        ]
        #expect(HashEmbedder.features("The Wing") == expected)
        #expect(HashEmbedder.features("wing wing")["b:wing wing"] == 1)
        #expect(HashEmbedder.features("wing wing")["w:wing"] == 6)
    }

    struct ReferenceCase: Sendable, CustomTestStringConvertible {
        var text: String
        var dimension: Int
        var features: [String: Double]
        var vector: [Double]
        var testDescription: String { "\"\(text)\" in \(dimension) dimensions" }
    }

    static func referenceCases() throws -> [ReferenceCase] {
        let root = try VectorFixtures.json("Embed", "hash-embedding.json") as! [String: Any]
        return (root["cases"] as! [[String: Any]]).map { c in
            var features: [String: Double] = [:]
            for pair in c["features"] as! [[Any]] { features[pair[0] as! String, default: 0] += (pair[1] as! NSNumber).doubleValue }
            return ReferenceCase(
                text: c["text"] as! String, dimension: (c["dimension"] as! NSNumber).intValue, features: features,
                vector: (c["vector"] as! [NSNumber]).map(\.doubleValue))
        }
    }

    @Test("matches the independent Python reference (hash_embedding.py)", arguments: try referenceCases())
    func matchesReference(_ reference: ReferenceCase) {
        #expect(HashEmbedder.features(reference.text) == reference.features)
        let v = HashEmbedder(dimension: reference.dimension).vector(reference.text)
        #expect(v.count == reference.dimension)
        for (a, b) in zip(v, reference.vector) { #expect(abs(Double(a) - b) < 1e-6) }
    }

    @Test("is deterministic and L2-normalised; a text without words is the zero vector")
    func normalisedAndDeterministic() async throws {
        let embedder = HashEmbedder()
        let texts = ["Supersonic flow past a cone", "heat transfer", "x y z", "the of and", ""]
        let first = try await embedder.embed(texts)
        let second = try await embedder.embed(texts)
        #expect(first == second)
        #expect(embedder.cacheKey == "hash-v1/384")
        for v in first.prefix(3) {
            #expect(v.count == 384)
            let norm = v.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
            #expect(abs(norm - 1) < 1e-6)
        }
        #expect(first[3].allSatisfy { $0 == 0 })
        #expect(first[4].allSatisfy { $0 == 0 })
    }
}
