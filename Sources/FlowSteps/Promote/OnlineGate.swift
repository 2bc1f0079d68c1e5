import FlowCore
import Foundation

/// The online (A/B) gate of `promote`: click-through per variant from feedback events, a
/// two-sided two-proportion z-test (`TwoProportionZTest`) between the two variants, and a
/// minimum sample size per variant.
///
/// Click-through of a variant = events with a click / events (each event one query served).
/// Rules, in order: a variant with fewer than `minimumSamples` events → not yet significant;
/// p-value ≥ `alpha` → not yet significant; otherwise the variant with the higher click-through
/// wins: promote it, or keep when the alias already serves it.
public enum OnlineGate {
    /// Events and clicks of one variant.
    public struct Tally: Sendable, Hashable {
        public var variant: String
        public var collection: String
        public var events: Int
        public var clicks: Int
        /// Mean of the events' ratings, nil when none had one.
        public var meanRating: Double?
        public var clickThrough: Double { events > 0 ? Double(clicks) / Double(events) : 0 }
    }

    /// Counts the events of each variant (events of other variants are ignored).
    /// - Parameter variants: exactly two `(label, collection)`, in the order given.
    public static func tally(_ events: [FeedbackEvent], variants: [(label: String, collection: String)]) -> [Tally] {
        variants.map { variant in
            let mine = events.filter { $0.variant == variant.label }
            let ratings = mine.compactMap(\.rating)
            return Tally(
                variant: variant.label, collection: variant.collection, events: mine.count, clicks: mine.filter(\.clicked).count,
                meanRating: ratings.isEmpty ? nil : ratings.reduce(0, +) / Double(ratings.count))
        }
    }

    /// Decides between the two tallies.
    /// - Parameters:
    ///   - champion: the collection the alias serves now, nil when none.
    ///   - alpha: significance level in (0, 1).
    ///   - minimumSamples: events needed per variant, ≥ 1.
    public static func decide(
        _ tallies: [Tally], champion: String?, alpha: Double, minimumSamples: Int, alias: String
    ) -> PromotionDecision {
        precondition(tallies.count == 2, "two variants")
        let (a, b) = (tallies[0], tallies[1])
        let served = champion ?? a.collection
        let rates = tallies.map { "\($0.variant) \($0.clicks)/\($0.events) = \(String(format: "%.4f", $0.clickThrough))" }
            .joined(separator: " vs ")
        if let short = tallies.first(where: { $0.events < minimumSamples }) {
            return PromotionDecision(
                outcome: .notYetSignificant, collection: served,
                reason:
                    "not yet significant: variant \(short.variant) has \(short.events) of the \(minimumSamples) events needed (\(rates))",
                evidence: evidence(tallies, test: nil, alpha: alpha, minimumSamples: minimumSamples))
        }
        let test = TwoProportionZTest(successes: a.clicks, of: a.events, versus: b.clicks, of: b.events)
        let statistic = "z = \(String(format: "%.3f", test.z)), p = \(String(format: "%.4g", test.pValue))"
        let evidence = evidence(tallies, test: test, alpha: alpha, minimumSamples: minimumSamples)
        guard test.pValue < alpha else {
            return PromotionDecision(
                outcome: .notYetSignificant, collection: served,
                reason: "not yet significant: click-through \(rates); \(statistic) ≥ α = \(alpha)", evidence: evidence)
        }
        let winner = a.clickThrough > b.clickThrough ? a : b
        if winner.collection == champion {
            return PromotionDecision(
                outcome: .keep, collection: winner.collection,
                reason: "variant \(winner.variant) ('\(winner.collection)'), which alias '\(alias)' serves, wins: \(rates); \(statistic)",
                evidence: evidence)
        }
        return PromotionDecision(
            outcome: .promote, collection: winner.collection,
            reason: "variant \(winner.variant) ('\(winner.collection)') wins: click-through \(rates); \(statistic) < α = \(alpha)",
            evidence: evidence)
    }

    static func evidence(_ tallies: [Tally], test: TwoProportionZTest?, alpha: Double, minimumSamples: Int) -> String {
        var object: [String: ExpressionValue] = [
            "gate": .string("online"), "alpha": .number(alpha), "min_samples": .number(Double(minimumSamples)),
            "variants": .array(
                tallies.map { t in
                    var o: [String: ExpressionValue] = [
                        "variant": .string(t.variant), "collection": .string(t.collection), "events": .number(Double(t.events)),
                        "clicks": .number(Double(t.clicks)), "click_through": .number(t.clickThrough),
                    ]
                    if let r = t.meanRating { o["mean_rating"] = .number(r) }
                    return .object(o)
                }),
        ]
        if let test {
            object["z"] = .number(test.z)
            object["p_value"] = .number(test.pValue)
        }
        return JSONText.encode(object)
    }
}
