public import FlowCore

/// The loaded workflows, for `GET /api/v1/workflows`.
public protocol WorkflowDirectory: Sendable {
    /// Every workflow file the daemon watches, by name.
    func workflows() async -> [WorkflowSummary]
}

/// Recorded runs and their logs.
public protocol RunHistory: Sendable {
    /// Runs, newest first, optionally of one workflow and/or status, at most `limit`.
    /// - Throws: `APIError` `.unavailable` when the database cannot be read.
    func runs(workflow: WorkflowName?, status: RunStatus?, limit: Int) async throws(APIError) -> [Run]

    /// One run (`id` may be a unique prefix) with its steps and attempts.
    /// - Throws: `APIError` `.notFound`, `.unavailable`.
    func run(_ id: String) async throws(APIError) -> RunDetail

    /// Log lines of `run` with sequence numbers above `after`, in order, at most `limit`.
    /// - Throws: `APIError` `.unavailable`.
    func logs(of run: RunID, after: Int64, limit: Int) async throws(APIError) -> [LogLine]

    /// The run's status now.
    /// - Throws: `APIError` `.notFound`, `.unavailable`.
    func status(of run: RunID) async throws(APIError) -> RunStatus
}

/// What a cancel request did to the run.
public enum CancelEffect: String, Sendable {
    /// Its running steps are being stopped; it records `cancelled` when they have.
    case cancelling
    /// It was queued and is now recorded `cancelled`; it never started.
    case cancelled
}

/// Starting and cancelling runs (the mutating endpoints).
public protocol RunCommands: Sendable {
    /// Records a run of `workflow` with `params` (values as text, typed by the workflow's
    /// declarations) and hands it to the scheduler; it starts when the limits allow.
    /// - Returns: the run as recorded (status `queued`).
    /// - Throws: `APIError` `.notFound`, `.invalidWorkflow`, `.invalidParams`,
    ///   `.missingSecret`, `.unavailable`.
    func trigger(_ workflow: String, params: [String: String]) async throws(APIError) -> Run

    /// Cancels run `id` (a unique prefix is enough). A second request for a running run stops
    /// its cleanup (`always()`) steps too.
    /// - Throws: `APIError` `.notFound`, `.conflict` (already finished, or run by another
    ///   process that is gone), `.unavailable`.
    func cancel(_ id: String) async throws(APIError) -> (Run, CancelEffect)
}

/// The Prometheus exposition for `GET /metrics`.
public protocol MetricsSource: Sendable {
    /// Every metric in the Prometheus text format, version 0.0.4.
    func exposition() -> [UInt8]
}
