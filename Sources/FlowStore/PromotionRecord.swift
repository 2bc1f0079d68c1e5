public import FlowCore
public import Foundation

/// One decision of a `promote` step (table `promotions`): whether the alias was switched to the
/// candidate, why, and the numbers behind it.
public struct PromotionRecord: Sendable, Hashable {
    /// How the candidate was judged.
    public enum Gate: String, Sendable {
        /// On stored evaluation metrics (candidate vs the collection the alias serves).
        case offline
        /// On user feedback per variant (A/B test).
        case online
    }

    public var runID: RunID
    public var stepID: StepID
    public var workflow: WorkflowName
    public var alias: String
    public var gate: Gate
    /// The collection that could be promoted.
    public var candidate: String
    /// The collection the alias served when the decision was taken; nil when it served none.
    public var previous: String?
    /// Whether the alias now serves `candidate` because of this decision.
    public var promoted: Bool
    /// One sentence for a person.
    public var reason: String
    /// The numbers behind the decision, a JSON object as text (metrics and gains, or
    /// click-through rates and the test's statistic).
    public var evidence: String
    public var decidedAt: Date

    public init(
        runID: RunID, stepID: StepID, workflow: WorkflowName, alias: String, gate: Gate, candidate: String,
        previous: String?, promoted: Bool, reason: String, evidence: String, decidedAt: Date
    ) {
        self.runID = runID
        self.stepID = stepID
        self.workflow = workflow
        self.alias = alias
        self.gate = gate
        self.candidate = candidate
        self.previous = previous
        self.promoted = promoted
        self.reason = reason
        self.evidence = evidence
        self.decidedAt = decidedAt
    }
}
