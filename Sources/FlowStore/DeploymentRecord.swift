public import Foundation

/// One deployment made by a `deploy` step, as recorded in the run database's `deployments`
/// table: which image went to which colour, and how it ended.
public struct DeploymentRecord: Sendable, Hashable {
    /// How the deployment replaced what ran before.
    public enum Strategy: String, Sendable, Hashable {
        /// `compose pull` + `up -d`: containers replaced in place.
        case recreate
        /// A second colour started beside the first, traffic switched after its health check.
        case blueGreen = "blue-green"
    }

    /// How the deployment ended.
    public enum Result: String, Sendable, Hashable {
        case succeeded
        /// It failed before traffic moved; nothing changed for users.
        case failed
        /// The new colour failed its health check and was removed; the old colour serves on.
        case rolledBack = "rolled_back"
    }

    /// Assigned by the database; nil before recording.
    public var id: Int64?
    public var runID: String
    public var stepID: String
    /// The compose project name.
    public var project: String
    public var strategy: Strategy
    /// `blue` or `green` for blue-green (the colour deployed to); nil for recreate.
    public var colour: String?
    /// The colour that served before; nil for the first deployment or recreate.
    public var previousColour: String?
    /// The image reference deployed.
    public var image: String
    /// Its digest (`sha256:…`) when known.
    public var imageDigest: String?
    public var result: Result
    /// Why it failed or rolled back; never holds secrets.
    public var reason: String?
    public var startedAt: Date
    public var finishedAt: Date

    public init(
        id: Int64? = nil, runID: String, stepID: String, project: String, strategy: Strategy, colour: String?,
        previousColour: String?, image: String, imageDigest: String?, result: Result, reason: String?, startedAt: Date,
        finishedAt: Date
    ) {
        self.id = id
        self.runID = runID
        self.stepID = stepID
        self.project = project
        self.strategy = strategy
        self.colour = colour
        self.previousColour = previousColour
        self.image = image
        self.imageDigest = imageDigest
        self.result = result
        self.reason = reason
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}
