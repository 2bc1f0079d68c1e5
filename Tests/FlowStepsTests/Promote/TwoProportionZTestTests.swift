import Foundation
import Testing

@testable import FlowSteps

@Suite("two-proportion z-test")
struct TwoProportionZTestTests {
    struct Case: Decodable, Sendable, CustomStringConvertible {
        var x1: Int
        var n1: Int
        var x2: Int
        var n2: Int
        var z: Double
        var p: Double
        var description: String { "\(x1)/\(n1) vs \(x2)/\(n2)" }
    }

    static func cases() throws -> [Case] {
        struct File: Decodable { var cases: [Case] }
        return try EvaluateFixtures.decode(File.self, "promote/ztest.json").cases
    }

    @Test("z and the two-sided p-value equal scipy's chi-square test of the 2×2 table (Fixtures/promote/ztest.py)")
    func matchesScipy() throws {
        let cases = try Self.cases()
        #expect(cases.count == 7)
        for c in cases {
            let test = TwoProportionZTest(successes: c.x1, of: c.n1, versus: c.x2, of: c.n2)
            #expect(abs(test.z - c.z) < 1e-9, "\(c)")
            #expect(abs(test.pValue - c.p) < 1e-9, "\(c)")
        }
    }

    @Test("by hand: 120/1000 vs 150/1000")
    func byHand() {
        // p̂ = 270/2000 = 0.135; SE = √(0.135 · 0.865 · (1/1000 + 1/1000)) = √0.00023355
        // = 0.0152823; z = (0.12 − 0.15) / 0.0152823 = −1.96305; p = erfc(1.96305/√2) ≈ 0.04964.
        let test = TwoProportionZTest(successes: 120, of: 1000, versus: 150, of: 1000)
        #expect(abs(test.z - -1.96305) < 1e-5)
        #expect(abs(test.pValue - 0.04964) < 1e-5)
        #expect(test.rate1 == 0.12 && test.rate2 == 0.15)
    }

    @Test("no variation gives z = 0 and p = 1")
    func noVariation() {
        let none = TwoProportionZTest(successes: 0, of: 50, versus: 0, of: 80)
        #expect(none.z == 0 && none.pValue == 1)
        let all = TwoProportionZTest(successes: 50, of: 50, versus: 80, of: 80)
        #expect(all.z == 0 && all.pValue == 1)
    }
}
