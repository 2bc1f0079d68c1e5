public import FlowCore
public import Foundation

/// One value an `evaluate` step measured (table `metrics`): the history `promote` compares
/// collections on.
public struct MetricRecord: Sendable, Hashable {
    public var runID: RunID
    public var stepID: StepID
    public var workflow: WorkflowName
    /// The collection searched (an alias resolved to its collection); nil for generation
    /// metrics.
    public var collection: String?
    /// `vector`, `bm25`, `hybrid` (retrieval) or `generation`.
    public var mode: String
    /// Identifies the gold set the value was measured on (a content hash), so that only values
    /// on the same questions are compared; nil when unknown.
    public var goldSet: String?
    /// The metric's short name: `ndcg@10`, `recall@5`, `mrr`, `map`, `bleu`, `rouge_l`, `judge`.
    public var metric: String
    public var value: Double
    /// Queries (retrieval) or examples (generation) the value is a mean over.
    public var samples: Int?
    public var recordedAt: Date

    public init(
        runID: RunID, stepID: StepID, workflow: WorkflowName, collection: String?, mode: String, goldSet: String?,
        metric: String, value: Double, samples: Int?, recordedAt: Date
    ) {
        self.runID = runID
        self.stepID = stepID
        self.workflow = workflow
        self.collection = collection
        self.mode = mode
        self.goldSet = goldSet
        self.metric = metric
        self.value = value
        self.samples = samples
        self.recordedAt = recordedAt
    }
}
