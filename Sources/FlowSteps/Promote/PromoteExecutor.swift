public import FlowCore
public import FlowEngine
import FlowStore
import Foundation

/// `uses: promote`: decides whether the alias serving a collection (`docs`) moves to a
/// candidate, and moves it. `gate: offline` compares the metrics `evaluate` stored for the
/// candidate and for the collection the alias serves (`OfflineGate`); `gate: online` compares
/// click-through of two variants from feedback events (`OnlineGate`). Every decision is recorded
/// in the run database's promotions table with its numbers. See docs/steps/promote.md.
public struct PromoteExecutor: StepExecutor {
    public init() {}

    public let spec = StepKindSpec(
        name: "promote",
        summary: "Point an alias at a better collection: offline on stored evaluation metrics, or online on A/B click-through",
        inputs: [
            .init("alias", .string, required: true, "The alias users search through, e.g. `docs`"),
            .init(
                "gate", .oneOf(["offline", "online"]), default: .string("offline"),
                "`offline`: stored metrics of the candidate vs the served collection; `online`: A/B click-through with a z-test"),
            .init(
                "candidate", .string,
                "`offline`: the collection to promote (default: the one this run's `evaluate` step measured)"),
            .init(
                "mode", .oneOf(RetrievalMode.allCases.map(\.rawValue)), default: .string("hybrid"),
                "`offline`: whose metrics are compared: `vector`, `bm25` or `hybrid`"),
            .init(
                "min_gain", .map(.number), default: .object(["ndcg@10": .number(0)]),
                "`offline`: least gain of each metric over the served collection, e.g. `{ndcg@10: 0.01, recall@5: 0}` (negative tolerates a loss)"
            ),
            .init(
                "feedback", .string,
                "`online`: feedback events, JSONL or CSV (time, variant, query, clicked, rating), see docs/steps/promote.md"),
            .init("variants", .map(.string), "`online`: the two variants' labels and collections, e.g. `{A: docs-v1, B: docs-v2}`"),
            .init("alpha", .number, default: .number(0.05), "`online`: significance level of the two-sided test (0–1)"),
            .init("min_samples", .int, default: .number(100), "`online`: events each variant needs before a decision"),
        ] + VectorStoreSettings.specInputs,
        outputs: [
            .init("promoted", "`true` when the alias was switched to the candidate, else `false`"),
            .init("decision", "`promoted`, `kept` or `not-significant`"),
            .init("reason", "Why, with the numbers"),
            .init("collection", "The collection the alias serves after the step"),
            .init("previous", "The collection it served before (empty when none)"),
            .init("p_value", "`online`: the test's two-sided p-value"),
        ])

    public func execute(_ invocation: StepInvocation) async throws -> [String: String] {
        let inputs = VectorStepInputs(kind: "promote", invocation.inputs, workingDirectory: invocation.workingDirectory)
        guard let alias = try inputs.string("alias") else {
            throw StepFailure("promote: input 'alias' is required", permanent: true)
        }
        let gate = try inputs.choice("gate", ["offline", "online"], default: "offline")
        let settings = try VectorStoreSettings(inputs: inputs, environment: invocation.environment)
        let store = try settings.open(kind: "promote", log: invocation.log)
        do {
            let previous = try await store.resolveAlias(alias)
            let decision: PromotionDecision
            let candidate: String
            var outputs: [String: String] = [:]
            if gate == "offline" {
                (decision, candidate) = try await offline(
                    inputs: inputs, invocation: invocation, store: store, alias: alias, champion: previous)
            } else {
                (decision, candidate) = try await online(inputs: inputs, store: store, alias: alias, champion: previous)
                if let p = JSONText.decodeObject(decision.evidence)?["p_value"], case .number(let value) = p {
                    outputs["p_value"] = String(value)
                }
            }
            if decision.outcome == .promote {
                try await store.setAlias(alias, to: decision.collection)
                invocation.log.write(
                    "promote: alias '\(alias)' now serves '\(decision.collection)' (was \(previous.map { "'\($0)'" } ?? "none"))")
            }
            invocation.log.write("promote: \(decision.outcome.rawValue): \(decision.reason)")
            if let databasePath = invocation.databasePath {
                do {
                    try PromotionStore(path: databasePath).recordPromotion(
                        PromotionRecord(
                            runID: invocation.runID, stepID: invocation.stepID, workflow: invocation.workflow, alias: alias,
                            gate: gate == "offline" ? .offline : .online, candidate: candidate, previous: previous,
                            promoted: decision.outcome == .promote, reason: decision.reason, evidence: decision.evidence,
                            decidedAt: Date()))
                } catch {
                    throw StepFailure("promote: cannot record the decision: \(error.message)")
                }
            }
            outputs["promoted"] = decision.outcome == .promote ? "true" : "false"
            outputs["decision"] = decision.outcome.rawValue
            outputs["reason"] = decision.reason
            outputs["collection"] = decision.outcome == .promote ? decision.collection : (previous ?? "")
            outputs["previous"] = previous ?? ""
            return outputs
        } catch let error as VectorStoreError {
            throw error.stepFailure(kind: "promote")
        }
    }

    /// The offline gate: metrics from the history, candidate vs champion on the same gold set.
    func offline(
        inputs: VectorStepInputs, invocation: StepInvocation, store: any VectorStore, alias: String, champion: String?
    ) async throws -> (PromotionDecision, String) {
        guard let databasePath = invocation.databasePath else {
            throw StepFailure("promote: the offline gate reads the metrics history, and this run has no database", permanent: true)
        }
        let mode = try inputs.choice("mode", RetrievalMode.allCases.map(\.rawValue), default: "hybrid")
        var gains: [(metric: String, gain: Double)] = []
        for (key, gain) in try inputs.evaluationNumbers("min_gain") {
            do {
                gains.append((try RetrievalMetric(parsing: key).description, gain))
            } catch {
                throw StepFailure("promote: input 'min_gain': \(error.message)", permanent: true)
            }
        }
        if gains.isEmpty { gains = [("ndcg@10", 0)] }
        let metrics: MetricsStore
        do {
            metrics = try MetricsStore(path: databasePath)
        } catch {
            throw StepFailure("promote: \(error.message)")
        }
        do {
            let candidate: String
            if let given = try inputs.string("candidate") {
                guard let info = try await store.collectionInfo(given) else {
                    throw StepFailure("promote: no collection '\(given)' in the store", permanent: true)
                }
                candidate = info.name
            } else {
                let evaluated = Set(try metrics.metrics(of: invocation.runID).filter { $0.mode != "generation" }.compactMap(\.collection))
                guard evaluated.count == 1, let only = evaluated.first else {
                    throw StepFailure(
                        evaluated.isEmpty
                            ? "promote: this run evaluated no collection: run `evaluate` before `promote`, or give 'candidate'"
                            : "promote: this run evaluated several collections (\(evaluated.sorted().joined(separator: ", "))): give 'candidate'",
                        permanent: true)
                }
                candidate = only
            }
            let candidateRecords = try metrics.latestEvaluation(collection: candidate, mode: mode)
            let candidateValues = Dictionary(candidateRecords.map { ($0.metric, $0.value) }, uniquingKeysWith: { $1 })
            for (metric, _) in gains where candidateValues[metric] == nil {
                throw StepFailure(
                    "promote: no stored \(mode) \(metric) for '\(candidate)': evaluate it with mode \(mode) and metric \(metric) first",
                    permanent: true)
            }
            var championValues: [String: Double] = [:]
            if let champion, champion != candidate {
                let goldSet = candidateRecords.first?.goldSet
                let championRecords = try metrics.latestEvaluation(collection: champion, mode: mode, goldSet: goldSet)
                championValues = Dictionary(championRecords.map { ($0.metric, $0.value) }, uniquingKeysWith: { $1 })
                if let missing = gains.first(where: { championValues[$0.metric] == nil }) {
                    let reason =
                        "no stored \(mode) \(missing.metric) for '\(champion)', which alias '\(alias)' serves, on the candidate's gold set: "
                        + "keeping it (evaluate `collection: \(alias)` with the same gold set to compare)"
                    return (
                        PromotionDecision(
                            outcome: .keep, collection: champion, reason: reason,
                            evidence: OfflineGate.evidence(
                                mode: mode, candidate: candidate, champion: champion, comparisons: [], candidateMetrics: candidateValues)),
                        candidate
                    )
                }
            }
            return (
                OfflineGate.decide(
                    candidate: candidate, candidateMetrics: candidateValues, champion: champion, championMetrics: championValues,
                    minimumGains: gains, mode: mode, alias: alias),
                candidate
            )
        } catch let error as StoreError {
            throw StepFailure("promote: \(error.message)")
        }
    }

    /// The online gate: click-through of two variants from the feedback events.
    func online(
        inputs: VectorStepInputs, store: any VectorStore, alias: String, champion: String?
    ) async throws -> (PromotionDecision, String) {
        guard let feedbackPath = try inputs.path("feedback") else {
            throw StepFailure("promote: gate 'online' needs 'feedback' (a JSONL or CSV file of events)", permanent: true)
        }
        let variantMap = try inputs.evaluationObject("variants")
        var variants: [(label: String, collection: String)] = []
        for (label, value) in variantMap.sorted(by: { $0.key < $1.key }) {
            guard let collection = value.stringValue, !collection.isEmpty else {
                throw StepFailure("promote: input 'variants.\(label)' must be a collection name", permanent: true)
            }
            variants.append((label, collection))
        }
        guard variants.count == 2 else {
            throw StepFailure(
                "promote: gate 'online' needs exactly two 'variants' (label: collection), got \(variants.count)", permanent: true)
        }
        for variant in variants where try await store.collectionInfo(variant.collection) == nil {
            throw StepFailure("promote: variant \(variant.label)'s collection '\(variant.collection)' is not in the store", permanent: true)
        }
        let alpha = try inputs.evaluationNumber("alpha") ?? 0.05
        guard alpha > 0, alpha < 1 else {
            throw StepFailure("promote: input 'alpha' must be between 0 and 1, got \(alpha)", permanent: true)
        }
        let minimumSamples = try inputs.int("min_samples", in: 1...1_000_000_000) ?? 100
        let events: [FeedbackEvent]
        do {
            events = try FeedbackEvent.read(feedbackPath)
        } catch {
            throw StepFailure("promote: \(error)", permanent: true)
        }
        let tallies = OnlineGate.tally(events, variants: variants)
        let candidate = variants.first { $0.collection != champion }?.collection ?? variants[1].collection
        return (OnlineGate.decide(tallies, champion: champion, alpha: alpha, minimumSamples: minimumSamples, alias: alias), candidate)
    }
}
