import Foundation
import Testing

@testable import FlowSteps

@Suite("online A/B gate")
struct OnlineGateTests {
    static func tallies(_ a: (Int, Int), _ b: (Int, Int)) -> [OnlineGate.Tally] {
        [
            OnlineGate.Tally(variant: "A", collection: "docs-1", events: a.1, clicks: a.0),
            OnlineGate.Tally(variant: "B", collection: "docs-2", events: b.1, clicks: b.0),
        ]
    }

    @Test("the better variant wins when p < alpha and both have enough events")
    func promotesWinner() {
        // p = 0.0496 (see TwoProportionZTestTests.byHand).
        let d = OnlineGate.decide(
            Self.tallies((120, 1000), (150, 1000)), champion: "docs-1", alpha: 0.05, minimumSamples: 500, alias: "docs")
        #expect(d.outcome == .promote && d.collection == "docs-2")
        #expect(
            d.reason.hasPrefix(
                "variant B ('docs-2') wins: click-through A 120/1000 = 0.1200 vs B 150/1000 = 0.1500; z = -1.963, p = 0.04964"))
    }

    @Test("the champion winning keeps the alias")
    func keepsChampion() {
        let d = OnlineGate.decide(
            Self.tallies((150, 1000), (120, 1000)), champion: "docs-1", alpha: 0.05, minimumSamples: 500, alias: "docs")
        #expect(d.outcome == .keep && d.collection == "docs-1")
    }

    @Test("p ≥ alpha is not yet significant")
    func notSignificant() {
        let d = OnlineGate.decide(
            Self.tallies((120, 1000), (150, 1000)), champion: "docs-1", alpha: 0.01, minimumSamples: 500, alias: "docs")
        #expect(d.outcome == .notYetSignificant && d.collection == "docs-1")
        #expect(d.reason.contains("≥ α = 0.01"))
    }

    @Test("a variant below the minimum sample size is not yet significant")
    func tooFewEvents() {
        let d = OnlineGate.decide(Self.tallies((12, 100), (150, 1000)), champion: "docs-1", alpha: 0.05, minimumSamples: 500, alias: "docs")
        #expect(d.outcome == .notYetSignificant)
        #expect(d.reason.hasPrefix("not yet significant: variant A has 100 of the 500 events needed"))
    }

    @Test("tally counts events, clicks and ratings per variant; other variants are ignored")
    func tally() {
        let events = [
            FeedbackEvent(variant: "A", query: "q", clicked: true, rating: 4),
            FeedbackEvent(variant: "A", query: "q", clicked: false, rating: 2),
            FeedbackEvent(variant: "B", query: "q", clicked: true),
            FeedbackEvent(variant: "C", query: "q", clicked: true),
        ]
        let t = OnlineGate.tally(events, variants: [("A", "docs-1"), ("B", "docs-2")])
        #expect(t.map(\.events) == [2, 1])
        #expect(t.map(\.clicks) == [1, 1])
        #expect(t[0].meanRating == 3 && t[1].meanRating == nil)
    }
}
