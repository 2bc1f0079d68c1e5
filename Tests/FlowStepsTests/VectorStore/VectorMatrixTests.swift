import Foundation
import Testing

@testable import FlowSteps

@Suite("exact top-k")
struct VectorMatrixTests {
    struct Reference: Sendable, CustomTestStringConvertible {
        var name: String
        var seed: UInt64
        var rows: Int
        var dimension: Int
        var queries: Int
        var k: Int
        var metric: String
        var expected: [(rows: [Int], scores: [Double])]
        var testDescription: String { "\(name): \(rows) × \(dimension), top \(k)" }
    }

    static func references() throws -> [Reference] {
        let root = try VectorFixtures.json("VectorStore", "topk-reference.json") as! [String: Any]
        return (root["cases"] as! [[String: Any]]).map { c in
            Reference(
                name: c["name"] as! String, seed: (c["seed"] as! NSNumber).uint64Value, rows: (c["rows"] as! NSNumber).intValue,
                dimension: (c["dimension"] as! NSNumber).intValue, queries: (c["queries"] as! NSNumber).intValue,
                k: (c["k"] as! NSNumber).intValue, metric: c["metric"] as! String,
                expected: (c["results"] as! [[String: Any]]).map {
                    (($0["rows"] as! [NSNumber]).map(\.intValue), ($0["scores"] as! [NSNumber]).map(\.doubleValue))
                })
        }
    }

    @Test("matches numpy's brute-force ranking (Fixtures/topk_reference.py)", arguments: try references().filter { $0.metric == "dot" })
    func matchesNumpy(_ reference: Reference) async {
        let data = SplitMix64.values(seed: reference.seed, count: (reference.rows + reference.queries) * reference.dimension)
        let matrix = VectorMatrix(dimension: reference.dimension, storage: Array(data[0..<(reference.rows * reference.dimension)]))
        for (q, expected) in reference.expected.enumerated() {
            let start = (reference.rows + q) * reference.dimension
            let query = Array(data[start..<(start + reference.dimension)])
            let parallel = await matrix.topK(query, k: reference.k, parallelism: 2)
            let serial = matrix.topKSerial(query, k: reference.k)
            #expect(parallel.map(\.row) == expected.rows)
            #expect(serial.map(\.row) == expected.rows)
            for (match, score) in zip(parallel, expected.scores) { #expect(abs(Double(match.score) - score) < 1e-4) }
        }
    }

    @Test("ties go to the lower row, across the slices too")
    func ties() async {
        // Rows 0…999 of dimension 512 (over the parallel threshold): every row is e₀ (score 1)
        // except rows 10 and 900, which are 2·e₀ (score 2). Top 4: 10, 900, then rows 0, 1.
        var storage = [Float](repeating: 0, count: 1000 * 512)
        for row in 0..<1000 { storage[row * 512] = row == 10 || row == 900 ? 2 : 1 }
        let matrix = VectorMatrix(dimension: 512, storage: storage)
        var query = [Float](repeating: 0, count: 512)
        query[0] = 1
        let top = await matrix.topK(query, k: 4, parallelism: 3)
        #expect(top.map(\.row) == [10, 900, 0, 1])
        #expect(top.map(\.score) == [2, 2, 1, 1])
    }

    @Test("k larger than the matrix returns every row; k = 0 returns none")
    func bounds() async {
        let matrix = VectorMatrix(dimension: 2, storage: [1, 0, 0, 1, 0.5, 0.5])
        let all = await matrix.topK([1, 0], k: 10)
        #expect(all.map(\.row) == [0, 2, 1])
        #expect(await matrix.topK([1, 0], k: 0).isEmpty)
    }
}
