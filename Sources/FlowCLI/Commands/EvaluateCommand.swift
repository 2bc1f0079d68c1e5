import ArgumentParser
import FlowSteps
import Foundation

/// `flow evaluate --qrels FILE --run FILE [--metrics …] [-q] [-c]`: trec_eval for TREC run files,
/// printing the same lines (`measure \t query \t value`) from the same computation as the
/// `evaluate` step.
struct EvaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate a TREC run file against qrels and print the measures as trec_eval does.",
        discussion: """
            Measures: map, recip_rank (mrr), P_k (precision@k), recall_k (recall@k), ndcg_cut_k (ndcg@k), \
            computed as trec_eval 9 computes them (ties broken by document id, descending). \
            Exit status: 0 printed, 65 a malformed file or an unknown measure, 66 a file not found.
            """)

    @Option(help: ArgumentHelp("TREC qrels: 'query iteration document grade' per line.", valueName: "file"))
    var qrels: String

    @Option(help: ArgumentHelp("TREC run: 'query Q0 document rank score tag' per line.", valueName: "file"))
    var run: String

    @Option(
        parsing: .upToNextOption,
        help: ArgumentHelp(
            "Measures, e.g. map mrr P_10 recall_100 ndcg_cut_10 (or ndcg@10); also comma-separated. "
                + "Default: map recip_rank P_5 P_10 recall_5 recall_10 recall_100 ndcg_cut_10.", valueName: "measure"))
    var metrics: [String] = []

    @Flag(name: .customShort("q"), help: "Also print each query's values (trec_eval -q).")
    var perQuery = false

    @Flag(name: .customShort("c"), help: "Average over every query in the qrels; queries missing from the run count as 0 (trec_eval -c).")
    var complete = false

    static let defaultMetrics = ["map", "recip_rank", "P_5", "P_10", "recall_5", "recall_10", "recall_100", "ndcg_cut_10"]

    func run() async throws {
        var parsed: [RetrievalMetric] = []
        let names = metrics.flatMap { $0.split(separator: ",").map(String.init) }.filter { !$0.isEmpty }
        do {
            for name in names.isEmpty ? Self.defaultMetrics : names { parsed.append(try RetrievalMetric(parsing: name)) }
        } catch {
            throw CLIFailure(.usage, "\(error)\n")
        }
        for path in [qrels, run] where !FileManager.default.fileExists(atPath: path) {
            throw CLIFailure(.notFound, "error: \(path): no such file\n")
        }
        let result: RetrievalEvaluation.Result
        do {
            let judgements = try Qrels(contentsOfTRECFile: qrels)
            let retrieved = try RetrievalRun(contentsOfTRECFile: run)
            result = RetrievalEvaluation.evaluate(
                qrels: judgements, run: retrieved, metrics: parsed, averaging: complete ? .allJudgedQueries : .evaluatedQueries)
        } catch {
            throw CLIFailure(error.code == .unreadableFile ? .notFound : .invalidInput, "\(error)\n")
        }
        Console().out(result.trecEvalReport(perQuery: perQuery))
    }
}
