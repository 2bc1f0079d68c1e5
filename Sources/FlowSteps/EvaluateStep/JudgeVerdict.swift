/// What the judge said about one answer.
public struct JudgeVerdict: Sendable, Hashable {
    /// The score, within the judge's scale.
    public var score: Double
    /// The judge's explanation when it gave one (a `reason` field of its JSON reply).
    public var reason: String?

    public init(score: Double, reason: String? = nil) {
        self.score = score
        self.reason = reason
    }
}
