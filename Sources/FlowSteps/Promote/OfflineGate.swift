import FlowCore
import Foundation

/// The offline gate of `promote`: the candidate collection against the one the alias serves
/// (the champion), on the metrics stored by `evaluate`, each with a minimum gain.
///
/// Rules, in order: no champion (the alias serves nothing yet) → promote (first promotion); the
/// champion is the candidate → keep; otherwise promote when for every gated metric
/// `candidate − champion ≥ min_gain` (absolute difference; a negative `min_gain` tolerates that
/// much loss), else keep, naming each metric that fell short.
public enum OfflineGate {
    /// One gated metric compared.
    public struct Comparison: Sendable, Hashable {
        public var metric: String
        public var candidate: Double
        public var champion: Double
        public var minimumGain: Double
        public var gain: Double { candidate - champion }
        public var passed: Bool { gain >= minimumGain }
    }

    /// Decides for `candidate`.
    ///
    /// - Parameters:
    ///   - candidateMetrics, championMetrics: metric name → value, from the same gold set and
    ///     retrieval mode; every metric of `minimumGains` must be in both (the caller checks).
    ///   - champion: the collection the alias serves now, nil when none.
    ///   - minimumGains: metric name → least gain.
    public static func decide(
        candidate: String, candidateMetrics: [String: Double], champion: String?, championMetrics: [String: Double],
        minimumGains: [(metric: String, gain: Double)], mode: String, alias: String
    ) -> PromotionDecision {
        guard let champion else {
            let values = minimumGains.map { "\($0.metric) \(format(candidateMetrics[$0.metric] ?? 0))" }.joined(separator: ", ")
            return PromotionDecision(
                outcome: .promote, collection: candidate,
                reason: "alias '\(alias)' serves no collection yet: first promotion of '\(candidate)' (\(mode) \(values))",
                evidence: evidence(mode: mode, candidate: candidate, champion: nil, comparisons: [], candidateMetrics: candidateMetrics))
        }
        if champion == candidate {
            return PromotionDecision(
                outcome: .keep, collection: champion, reason: "alias '\(alias)' already serves '\(candidate)'",
                evidence: evidence(
                    mode: mode, candidate: candidate, champion: champion, comparisons: [], candidateMetrics: candidateMetrics))
        }
        let comparisons = minimumGains.map {
            Comparison(
                metric: $0.metric, candidate: candidateMetrics[$0.metric] ?? 0, champion: championMetrics[$0.metric] ?? 0,
                minimumGain: $0.gain)
        }
        let failed = comparisons.filter { !$0.passed }
        let evidence = evidence(
            mode: mode, candidate: candidate, champion: champion, comparisons: comparisons, candidateMetrics: candidateMetrics)
        if failed.isEmpty {
            return PromotionDecision(
                outcome: .promote, collection: candidate,
                reason: "'\(candidate)' beats '\(champion)' (\(mode)): " + comparisons.map(describe).joined(separator: ", "),
                evidence: evidence)
        }
        return PromotionDecision(
            outcome: .keep, collection: champion,
            reason: "'\(candidate)' does not gain enough over '\(champion)' (\(mode)): " + failed.map(describe).joined(separator: ", "),
            evidence: evidence)
    }

    /// `ndcg@10 0.3731 vs 0.3518 (+0.0213, needs +0.0000)`.
    static func describe(_ c: Comparison) -> String {
        "\(c.metric) \(format(c.candidate)) vs \(format(c.champion)) (\(signed(c.gain)), needs \(signed(c.minimumGain)))"
    }

    static func format(_ v: Double) -> String { String(format: "%.4f", v) }
    static func signed(_ v: Double) -> String { (v >= 0 ? "+" : "") + String(format: "%.4f", v) }

    static func evidence(
        mode: String, candidate: String, champion: String?, comparisons: [Comparison], candidateMetrics: [String: Double]
    ) -> String {
        var object: [String: ExpressionValue] = [
            "gate": .string("offline"), "mode": .string(mode), "candidate": .string(candidate),
            "candidate_metrics": .object(candidateMetrics.mapValues { .number($0) }),
        ]
        if let champion { object["champion"] = .string(champion) }
        object["comparisons"] = .array(
            comparisons.map {
                .object([
                    "metric": .string($0.metric), "candidate": .number($0.candidate), "champion": .number($0.champion),
                    "gain": .number($0.gain), "min_gain": .number($0.minimumGain), "passed": .bool($0.passed),
                ])
            })
        return JSONText.encode(object)
    }
}
