/// What a `promote` gate decided, before the alias is touched.
public struct PromotionDecision: Sendable, Hashable {
    public enum Outcome: String, Sendable, Hashable {
        /// Switch the alias to `collection`.
        case promote = "promoted"
        /// Leave the alias where it is: the champion is as good or better.
        case keep = "kept"
        /// Leave the alias where it is: the evidence is not yet enough to decide (A/B only).
        case notYetSignificant = "not-significant"
    }

    public var outcome: Outcome
    /// The collection the alias should serve after the decision.
    public var collection: String
    /// One sentence for a person, with the numbers.
    public var reason: String
    /// The numbers behind the decision, as a JSON object (`JSONText`).
    public var evidence: String

    public init(outcome: Outcome, collection: String, reason: String, evidence: String) {
        self.outcome = outcome
        self.collection = collection
        self.reason = reason
        self.evidence = evidence
    }
}
