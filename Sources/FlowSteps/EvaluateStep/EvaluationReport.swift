import Foundation

/// The `report.json` an `evaluate` step writes: every value it measured, per mode and per
/// query, the run files, the generation scores and the threshold checks. Keys are sorted;
/// values are full-precision numbers.
struct EvaluationReport: Sendable {
    var retrieval: EvaluateExecutor.RetrievalOutcome?
    var generation: EvaluateExecutor.GenerationOutcome?
    var checks: [EvaluationThreshold.Check] = []

    /// The report as a JSON-compatible dictionary.
    var object: [String: Any] {
        var root: [String: Any] = [:]
        if let r = retrieval {
            var modes: [String: Any] = [:]
            for (mode, result) in r.results {
                var mean: [String: Double] = [:]
                for metric in result.metrics { mean[metric.description] = result.mean[metric] ?? 0 }
                var perQuery: [String: [String: Double]] = [:]
                for (query, values) in result.perQuery {
                    var row: [String: Double] = [:]
                    for (metric, value) in values { row[metric.description] = value }
                    perQuery[query] = row
                }
                modes[mode.rawValue] = [
                    "mean": mean, "per_query": perQuery, "queries": result.queryCount, "run": r.runFiles[mode] ?? "",
                ]
            }
            root["retrieval"] = [
                "collection": r.collection, "gold_set": r.goldSetHash, "queries": r.queryCount, "depth": r.depth,
                "modes": modes,
            ]
        }
        if let g = generation {
            var generation: [String: Any] = [
                "examples": g.count,
                "bleu": [
                    "score": g.scores.bleu.score, "counts": g.scores.bleu.counts, "totals": g.scores.bleu.totals,
                    "precisions": g.scores.bleu.precisions, "brevity_penalty": g.scores.bleu.brevityPenalty,
                    "sys_len": g.scores.bleu.systemLength, "ref_len": g.scores.bleu.referenceLength,
                ],
                "rouge_l": g.scores.rougeL,
                "set": g.setHash,
            ]
            if let verdicts = g.verdicts {
                generation["judge"] = [
                    "mean": g.values[.judge] ?? 0,
                    "scores": verdicts.map(\.score),
                    "reasons": verdicts.map { $0.reason ?? "" },
                ]
            }
            root["generation"] = generation
        }
        root["thresholds"] = checks.map { ["name": $0.name, "value": $0.value, "minimum": $0.minimum, "passed": $0.passed] }
        return root
    }

    /// Writes the report, replacing the file.
    /// - Throws: the serialiser's or the file system's error.
    func write(to path: String) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
