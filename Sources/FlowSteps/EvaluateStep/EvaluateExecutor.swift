public import FlowCore
public import FlowEngine
import FlowStore
import Foundation

/// `uses: evaluate`: measures retrieval through a vector store against a gold set (Recall@k,
/// Precision@k, nDCG@k, MRR, MAP as trec_eval computes them, per retrieval mode) and generated
/// answers against references (corpus BLEU, ROUGE-L, an LLM judge); records every value in the
/// run database's metrics history, writes a JSON report, prints a table, and fails when a value
/// is below its threshold. See docs/steps/evaluate.md.
public struct EvaluateExecutor: StepExecutor {
    public init() {}

    static let defaultMetrics = ["recall@5", "ndcg@10", "mrr", "map"]

    public let spec = StepKindSpec(
        name: "evaluate",
        summary: "Measure retrieval against a gold set (Recall@k, Precision@k, nDCG@k, MRR, MAP) and generated answers "
            + "(BLEU, ROUGE-L, LLM judge); record the values, fail below thresholds",
        inputs: [
            .init(
                "collection", .string,
                "Collection or alias to search, e.g. `${{ steps.upsert.outputs.collection }}` (needed with a gold set)"),
            .init(
                "gold", .string, "Gold set as JSONL: `{\"query_id\", \"query\", \"relevant\": {\"doc\": grade} or [\"doc\", …]}` per line"),
            .init(
                "qrels", .string,
                "Judgements: TREC qrels (`query 0 doc grade`), or SMART judgements (Cranfield's `cranqrel`) with `gold_format: smart`"),
            .init("queries", .string, "Queries for `qrels`: `query_id<TAB>text` lines (TREC), or a SMART file (Cranfield's `cran.qry`)"),
            .init(
                "gold_format", .oneOf(["auto", "jsonl", "trec", "smart"]), default: .string("auto"),
                "How the gold set is written; `auto`: `gold` is JSONL, `qrels` + `queries` are SMART when the queries file starts with `.I`, else TREC"
            ),
            .init(
                "modes", .list(.oneOf(RetrievalMode.allCases.map(\.rawValue))), default: .array([.string("hybrid")]),
                "Retrieval modes to evaluate: `vector`, `bm25`, `hybrid` (each one row of the table)"),
            .init(
                "metrics", .list(.string), default: .array(defaultMetrics.map { .string($0) }),
                "Retrieval metrics: `recall@k`, `precision@k`, `ndcg@k`, `mrr`, `map` (trec_eval names such as `ndcg_cut_10` too)"),
            .init("depth", .int, default: .number(100), "Documents retrieved per query (1–10000); MAP and recall count only these"),
            .init(
                "document_key", .oneOf(DocumentKey.allCases.map(\.rawValue)), default: .string("document_id"),
                "What names a hit's document in the gold set: `document_id`, `url`, `title`, or `path` (a file URL relative to the working directory)"
            ),
            .init(
                "embed", .map(.any),
                "How queries are embedded for `vector` and `hybrid`: the same inputs as the `embed` step that filled the collection (`provider`, `dimension`, `model`, `base_url`, `api_key`, …); default the `hash` provider"
            ),
            .init(
                "generations", .string,
                "Generated answers as JSONL: `{\"prediction\", \"reference\" or \"references\": […], \"question\"}` per line"),
            .init(
                "judge", .map(.any),
                "LLM-as-a-judge over `generations` through an OpenAI-compatible chat API: `model` (required), `base_url` (default `$OPENAI_BASE_URL`), `api_key` (default `$OPENAI_API_KEY`), `rubric`, `max_score` (default 5), `concurrency`, `timeout`, `retries`"
            ),
            .init(
                "thresholds", .map(.number),
                "Lowest acceptable values, e.g. `{ndcg@10: 0.3, hybrid/mrr: 0.5, rouge_l: 0.2}`; the step fails naming each value below its threshold"
            ),
        ] + VectorStoreSettings.specInputs,
        outputs: [
            .init("report", "Path of report.json: every value, per mode and per query, and the threshold checks"),
            .init("collection", "The collection searched (an alias resolved)"),
            .init("queries", "Queries evaluated (those with judgements)"),
            .init("bleu", "Corpus BLEU of `generations` (0–100)"),
            .init("rouge_l", "Mean ROUGE-L F-measure of `generations` (0–1)"),
            .init("judge", "Mean judge score of `generations`, on the judge's scale"),
        ] + EvaluateExecutor.metricOutputs)

    /// Metrics whose outputs are declared (so that `${{ steps.<id>.outputs.<name> }}` checks):
    /// `<metric>` for the first mode and `<mode>_<metric>` for each mode. Other cutoffs are set
    /// too, and every value is in report.json.
    static let declaredMetrics: [RetrievalMetric] = [
        .recall(5), .recall(10), .recall(100), .precision(5), .precision(10), .ndcg(5), .ndcg(10), .mrr, .map,
    ]

    static var metricOutputs: [StepKindSpec.Output] {
        declaredMetrics.map { .init(outputName($0), "\($0) of the first mode in `modes` (0–1)") }
            + RetrievalMode.allCases.flatMap { mode in
                declaredMetrics.map { .init("\(mode.rawValue)_\(outputName($0))", "\($0) of mode \(mode.rawValue) (0–1)") }
            }
    }

    public func execute(_ invocation: StepInvocation) async throws -> [String: String] {
        let inputs = VectorStepInputs(kind: "evaluate", invocation.inputs, workingDirectory: invocation.workingDirectory)
        let plan = try EvaluationPlan(inputs: inputs, environment: invocation.environment)
        let log = invocation.log
        let folder = (invocation.workspace as NSString).appendingPathComponent(invocation.stepID.rawValue)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw StepFailure("evaluate: cannot create \(folder): \((error as NSError).localizedDescription)")
        }
        var report = EvaluationReport()
        var outputs: [String: String] = [:]
        var records: [MetricRecord] = []
        let now = Date()
        func record(collection: String?, mode: String, goldSet: String?, metric: String, value: Double, samples: Int) {
            records.append(
                MetricRecord(
                    runID: invocation.runID, stepID: invocation.stepID, workflow: invocation.workflow, collection: collection,
                    mode: mode, goldSet: goldSet, metric: metric, value: value, samples: samples, recordedAt: now))
        }

        var retrievalValues: [RetrievalMode: [RetrievalMetric: Double]] = [:]
        if let gold = plan.gold {
            let retrieval = try await evaluateRetrieval(plan: plan, gold: gold, invocation: invocation, folder: folder)
            report.retrieval = retrieval
            outputs["collection"] = retrieval.collection
            outputs["queries"] = String(retrieval.queryCount)
            for (index, mode) in plan.modes.enumerated() {
                guard let result = retrieval.results[mode] else { continue }
                retrievalValues[mode] = result.mean
                for metric in result.metrics {
                    let value = result.mean[metric] ?? 0
                    outputs["\(mode.rawValue)_\(Self.outputName(metric))"] = Self.format(value)
                    if index == 0 { outputs[Self.outputName(metric)] = Self.format(value) }
                    record(
                        collection: retrieval.collection, mode: mode.rawValue, goldSet: retrieval.goldSetHash,
                        metric: metric.description, value: value, samples: result.queryCount)
                }
            }
            log.write(
                "evaluate: \(retrieval.queryCount) queries of \(gold.description) against '\(retrieval.collection)' "
                    + "(\(plan.store)), \(plan.depth) documents per query")
            for line in EvaluationTable.render(
                metrics: plan.metrics,
                rows: plan.modes.map { mode in (mode.rawValue, plan.metrics.map { retrievalValues[mode]?[$0] ?? 0 }) })
            {
                log.write("evaluate: " + line)
            }
        }

        var generationValues: [GenerationMetric: Double] = [:]
        if let generationsPath = plan.generationsPath {
            let generation = try await evaluateGeneration(path: generationsPath, plan: plan, log: log)
            report.generation = generation
            generationValues = generation.values
            for (metric, value) in generation.values.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                outputs[metric.rawValue] = Self.format(value)
                record(
                    collection: nil, mode: "generation", goldSet: generation.setHash, metric: metric.rawValue, value: value,
                    samples: generation.count)
            }
            var line = "evaluate: \(generation.count) generated answers: BLEU \(String(format: "%.2f", generation.scores.bleu.score))"
            line += ", ROUGE-L F \(String(format: "%.4f", generation.scores.rougeL))"
            if let judge = generation.values[.judge] {
                line += ", judge \(String(format: "%.2f", judge)) on \(plan.judge!.scale.lowerBound)–\(plan.judge!.scale.upperBound)"
            }
            log.write(line)
        }

        report.checks = plan.thresholds.flatMap { $0.checks(retrieval: retrievalValues, generation: generationValues) }
        let reportPath = (folder as NSString).appendingPathComponent("report.json")
        do {
            try report.write(to: reportPath)
        } catch {
            throw StepFailure("evaluate: cannot write \(reportPath): \((error as NSError).localizedDescription)")
        }
        outputs["report"] = reportPath

        if let databasePath = invocation.databasePath {
            do {
                try MetricsStore(path: databasePath).recordMetrics(records)
            } catch {
                throw StepFailure("evaluate: cannot record metrics: \(error.message)")
            }
            log.write("evaluate: recorded \(records.count) values in the metrics history")
        } else {
            log.write("evaluate: no run database: the values are not recorded in the metrics history")
        }

        let failed = report.checks.filter { !$0.passed }
        for check in report.checks {
            log.write(
                "evaluate: threshold \(check.name) ≥ \(check.minimum): \(Self.describe(check.value, against: check.minimum)) "
                    + (check.passed ? "passed" : "FAILED"))
        }
        if !failed.isEmpty {
            throw StepFailure(
                "evaluate: "
                    + failed.map { "\($0.name) = \(Self.describe($0.value, against: $0.minimum)) is below the threshold \($0.minimum)" }
                    .joined(separator: "; "),
                permanent: true)
        }
        return outputs
    }

    /// `ndcg@10` → `ndcg_10`: an output name usable in `${{ steps.<id>.outputs.<name> }}`.
    static func outputName(_ metric: RetrievalMetric) -> String {
        metric.description.replacingOccurrences(of: "@", with: "_")
    }

    /// `value` with four decimals, or all its digits when four would make it look equal to
    /// `threshold`.
    static func describe(_ value: Double, against threshold: Double) -> String {
        let short = format(value)
        return short == format(threshold) && value != threshold ? "\(value)" : short
    }

    /// Values in outputs and messages: four decimals, as trec_eval prints them.
    static func format(_ value: Double) -> String {
        String(format: "%.4f", value)
    }
}
