import Foundation

extension RetrievalEvaluation.Result {
    /// The result as trec_eval prints it: one line per measure, `measure \t query \t value`,
    /// the measure name left-aligned in 22 columns and the value as `%6.4f`
    /// (trec_eval's `meas_print_final.c`). Measures come in trec_eval's order (`map`,
    /// `recip_rank`, `P_k`, `recall_k`, `ndcg_cut_k`, cutoffs ascending). With `perQuery`,
    /// each query's lines come first, queries in byte order (as `trec_eval -q`), then the
    /// `all` lines with the means. Every line ends with `\n`.
    public func trecEvalReport(perQuery includeQueries: Bool = false) -> String {
        let ordered = metrics.sorted(by: RetrievalMetric.trecOrder)
        var out = ""
        if includeQueries {
            for query in perQuery.keys.sorted(by: RetrievalEvaluation.byteOrder) {
                for metric in ordered {
                    out += Self.line(metric.trecName, query, perQuery[query]?[metric] ?? 0)
                }
            }
        }
        for metric in ordered {
            out += Self.line(metric.trecName, "all", mean[metric] ?? 0)
        }
        return out
    }

    private static func line(_ name: String, _ query: String, _ value: Double) -> String {
        let padding = String(repeating: " ", count: max(0, 22 - name.count))
        return name + padding + "\t" + query + "\t" + String(format: "%6.4f", value) + "\n"
    }
}
