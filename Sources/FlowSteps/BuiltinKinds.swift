public import FlowEngine

/// Every built-in step kind, as a fresh list of executors for one engine.
public enum BuiltinKinds {
    public static func executors() -> [any StepExecutor] {
        [
            CrawlExecutor(),
            ParseExecutor(),
            ChunkExecutor(),
            EmbedExecutor(),
            UpsertExecutor(),
            EvaluateExecutor(),
            PromoteExecutor(),
            FeedbackExportExecutor(),
            DockerBuildExecutor(),
            ScanExecutor(),
            PushExecutor(),
            DeployExecutor(),
        ]
    }
}
