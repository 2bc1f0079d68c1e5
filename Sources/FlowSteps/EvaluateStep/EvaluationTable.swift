import Foundation

/// The table `evaluate` prints in its log: one row per retrieval mode, one column per metric,
/// values with four decimals (as trec_eval prints them).
///
///     mode   | recall@5 | ndcg@10 | mrr    | map
///     -------+----------+---------+--------+-------
///     bm25   | 0.2849   | 0.3518  | 0.5124 | 0.2793
public enum EvaluationTable {
    /// The table's lines (no line ends); every row must have one value per metric.
    public static func render(metrics: [RetrievalMetric], rows: [(mode: String, values: [Double])]) -> [String] {
        let headers = ["mode"] + metrics.map(\.description)
        var cells = rows.map { [$0.mode] + $0.values.map { String(format: "%.4f", $0) } }
        cells.insert(headers, at: 0)
        var widths = [Int](repeating: 0, count: headers.count)
        for row in cells {
            for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
        }
        func line(_ row: [String]) -> String {
            row.enumerated().map { column, cell in
                cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined(separator: " | ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        var lines = [line(cells[0])]
        lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "-+-"))
        for row in cells.dropFirst() { lines.append(line(row)) }
        return lines
    }
}
