import FlowCore
import FlowEngine
import Foundation

/// The `evaluate` step's inputs, read and checked before anything runs: every problem is a
/// permanent `StepFailure` naming the input.
struct EvaluationPlan: Sendable {
    /// Where the gold set comes from.
    struct GoldSource: Sendable, CustomStringConvertible {
        enum Format: String, Sendable {
            case jsonl, trec, smart
        }
        var format: Format
        /// JSONL file, or qrels / SMART judgements.
        var judgements: String
        /// TREC or SMART queries; nil for JSONL.
        var queries: String?

        var description: String {
            switch format {
            case .jsonl: "gold set \(judgements)"
            case .trec: "TREC qrels \(judgements) with queries \(queries ?? "")"
            case .smart: "SMART judgements \(judgements) with queries \(queries ?? "")"
            }
        }

        /// Reads the gold set.
        /// - Throws: a permanent `StepFailure` with the file and line of a problem.
        func load() throws(StepFailure) -> GoldSet {
            do {
                switch format {
                case .jsonl: return try GoldSet(contentsOfJSONLFile: judgements)
                case .trec: return try GoldSet(qrelsPath: judgements, queriesPath: queries!)
                case .smart: return try GoldSet(smartQueriesPath: queries!, judgementsPath: judgements)
                }
            } catch {
                throw StepFailure("evaluate: \(error)", permanent: true)
            }
        }
    }

    var collection: String?
    var gold: GoldSource?
    var modes: [RetrievalMode]
    /// Requested metrics plus those a threshold names, without duplicates.
    var metrics: [RetrievalMetric]
    var depth: Int
    var documentKey: DocumentKey
    var embedder: EmbedderSettings
    var store: VectorStoreSettings
    var generationsPath: String?
    var judge: JudgeSettings?
    var thresholds: [EvaluationThreshold]

    /// The judge's settings from the `judge` map.
    struct JudgeSettings: Sendable {
        var baseURL: URL
        var model: String
        var apiKey: String?
        var rubric: String
        var scale: ClosedRange<Int>
        var concurrency: Int
        var retries: Int
        var timeout: Duration

        func makeJudge(log: StepLog) -> ChatJudge {
            ChatJudge(
                baseURL: baseURL, model: model, apiKey: apiKey, rubric: rubric, scale: scale, concurrency: concurrency,
                retry: HTTPRetryPolicy(attempts: retries + 1), timeout: timeout, log: log)
        }
    }

    init(inputs: VectorStepInputs, environment: [String: String]) throws(StepFailure) {
        collection = try inputs.string("collection")
        let format = try inputs.choice("gold_format", ["auto", "jsonl", "trec", "smart"], default: "auto")
        let goldPath = try inputs.path("gold")
        let qrelsPath = try inputs.path("qrels")
        let queriesPath = try inputs.path("queries")
        if let goldPath {
            guard qrelsPath == nil, queriesPath == nil else {
                throw StepFailure("evaluate: give either 'gold' (JSONL) or 'qrels' with 'queries', not both", permanent: true)
            }
            guard format == "auto" || format == "jsonl" else {
                throw StepFailure("evaluate: gold_format '\(format)' needs 'qrels' and 'queries' instead of 'gold'", permanent: true)
            }
            gold = GoldSource(format: .jsonl, judgements: goldPath, queries: nil)
        } else if let qrelsPath, let queriesPath {
            let resolved: GoldSource.Format
            switch format {
            case "jsonl":
                throw StepFailure("evaluate: gold_format 'jsonl' reads 'gold', not 'qrels' and 'queries'", permanent: true)
            case "trec": resolved = .trec
            case "smart": resolved = .smart
            default: resolved = Self.looksLikeSMART(queriesPath) ? .smart : .trec
            }
            gold = GoldSource(format: resolved, judgements: qrelsPath, queries: queriesPath)
        } else if qrelsPath != nil || queriesPath != nil {
            throw StepFailure("evaluate: 'qrels' and 'queries' go together; give both", permanent: true)
        }

        var modes: [RetrievalMode] = []
        for name in try inputs.strings("modes") {
            guard let mode = RetrievalMode(rawValue: name) else {
                throw StepFailure(
                    "evaluate: unknown mode '\(name)' in 'modes'; expected "
                        + RetrievalMode.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", "), permanent: true)
            }
            if !modes.contains(mode) { modes.append(mode) }
        }
        self.modes = modes.isEmpty ? [.hybrid] : modes

        var metricNames = try inputs.strings("metrics")
        if metricNames.isEmpty { metricNames = EvaluateExecutor.defaultMetrics }
        var metrics: [RetrievalMetric] = []
        for name in metricNames {
            do {
                let metric = try RetrievalMetric(parsing: name)
                if !metrics.contains(metric) { metrics.append(metric) }
            } catch {
                throw StepFailure("evaluate: input 'metrics': \(error.message)", permanent: true)
            }
        }

        var thresholds: [EvaluationThreshold] = []
        for (key, minimum) in try inputs.evaluationNumbers("thresholds") {
            do {
                thresholds.append(try EvaluationThreshold(parsing: key, minimum: minimum))
            } catch {
                throw StepFailure("evaluate: input 'thresholds': \(error.message)", permanent: true)
            }
        }
        self.thresholds = thresholds

        depth = try inputs.int("depth", in: 1...10_000) ?? 100
        documentKey = DocumentKey(
            rawValue: try inputs.choice("document_key", DocumentKey.allCases.map(\.rawValue), default: "document_id"))!
        let embedInputs = VectorStepInputs(
            kind: "evaluate: embed", try inputs.evaluationObject("embed"), workingDirectory: inputs.workingDirectory)
        embedder = try EmbedderSettings(inputs: embedInputs, environment: environment)
        store = try VectorStoreSettings(inputs: inputs, environment: environment)
        generationsPath = try inputs.path("generations")
        let judgeMap = try inputs.evaluationObject("judge")
        if !judgeMap.isEmpty {
            judge = try Self.judgeSettings(
                VectorStepInputs(kind: "evaluate: judge", judgeMap, workingDirectory: inputs.workingDirectory), environment)
        }

        // Every threshold must name something that will be measured.
        for threshold in thresholds {
            switch threshold.target {
            case .retrieval(let metric, let mode):
                guard gold != nil else {
                    throw StepFailure(
                        "evaluate: threshold on \(metric) needs a gold set ('gold', or 'qrels' and 'queries')", permanent: true)
                }
                if let mode, !self.modes.contains(mode) {
                    throw StepFailure(
                        "evaluate: threshold on \(mode.rawValue)/\(metric) but 'modes' does not include '\(mode.rawValue)'", permanent: true
                    )
                }
                if !metrics.contains(metric) { metrics.append(metric) }
            case .generation(let metric):
                guard generationsPath != nil else {
                    throw StepFailure("evaluate: threshold on \(metric.rawValue) needs 'generations'", permanent: true)
                }
                if metric == .judge, judge == nil {
                    throw StepFailure("evaluate: threshold on judge needs 'judge' settings", permanent: true)
                }
            }
        }
        self.metrics = metrics

        if gold == nil, generationsPath == nil {
            throw StepFailure(
                "evaluate: nothing to evaluate: give a gold set ('gold', or 'qrels' and 'queries') and/or 'generations'",
                permanent: true)
        }
        if gold != nil, collection == nil {
            throw StepFailure("evaluate: input 'collection' is required with a gold set", permanent: true)
        }
        if judge != nil, generationsPath == nil {
            throw StepFailure("evaluate: 'judge' grades 'generations'; give that file too", permanent: true)
        }
    }

    static func judgeSettings(_ inputs: VectorStepInputs, _ environment: [String: String]) throws(StepFailure) -> JudgeSettings {
        guard let model = try inputs.string("model") else {
            throw StepFailure("evaluate: judge: input 'model' is required", permanent: true)
        }
        let base =
            try inputs.string("base_url") ?? environment["OPENAI_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "https://api.openai.com/v1"
        let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
        guard let url = URL(string: trimmed), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw StepFailure("evaluate: judge: input 'base_url' must be an http(s) URL, got '\(base)'", permanent: true)
        }
        let known: Set<String> = ["model", "base_url", "api_key", "rubric", "max_score", "concurrency", "timeout", "retries"]
        if let unknown = inputs.values.keys.sorted().first(where: { !known.contains($0) }) {
            throw StepFailure(
                "evaluate: judge: unknown setting '\(unknown)'; expected " + known.sorted().joined(separator: ", "), permanent: true)
        }
        return JudgeSettings(
            baseURL: url, model: model,
            apiKey: try inputs.string("api_key") ?? environment["OPENAI_API_KEY"].flatMap { $0.isEmpty ? nil : $0 },
            rubric: try inputs.string("rubric") ?? ChatJudge.defaultRubric,
            scale: 1...(try inputs.int("max_score", in: 2...100) ?? 5),
            concurrency: try inputs.int("concurrency", in: 1...64) ?? 4,
            retries: try inputs.int("retries", in: 0...20) ?? 5,
            timeout: try inputs.duration("timeout") ?? .seconds(120))
    }

    /// Whether the file's first line that is not blank starts with `.I` (SMART).
    static func looksLikeSMART(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = String(decoding: (try? handle.read(upToCount: 4096)) ?? Data(), as: UTF8.self)
        guard let first = head.split(whereSeparator: \.isNewline).first(where: { !$0.allSatisfy(\.isWhitespace) }) else {
            return false
        }
        return first.hasPrefix(".I ") || first == ".I"
    }
}
