public import FlowEngine

extension VectorStoreError {
    /// The error as a step failure of `kind`: permanent unless trying again may help.
    public func stepFailure(kind: String) -> StepFailure {
        StepFailure("\(kind): " + message, permanent: !isTransient)
    }
}
