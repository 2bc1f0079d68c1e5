import FlowCore

// The codes FlowSpec reports, each documented with an example in docs/workflow-language.md
// ("Diagnostics"). They are stable: tools match on them. WorkflowGraph reports `unknown-need`,
// `self-dependency`, `duplicate-need` and `cycle` itself.
extension Diagnostic.Code {
    static let yamlSyntax: Self = "yaml-syntax"
    static let unreadableFile: Self = "unreadable-file"
    static let duplicateKey: Self = "duplicate-key"
    static let unknownKey: Self = "unknown-key"
    static let typeMismatch: Self = "type-mismatch"
    static let missingKey: Self = "missing-key"
    static let conflictingKeys: Self = "conflicting-keys"
    static let invalidValue: Self = "invalid-value"
    static let outOfRange: Self = "out-of-range"
    static let invalidDuration: Self = "invalid-duration"
    static let invalidName: Self = "invalid-name"
    static let invalidDefault: Self = "invalid-default"
    static let requiredWithDefault: Self = "required-with-default"
    static let unknownTimezone: Self = "unknown-timezone"
    static let invalidCron: Self = "invalid-cron"
    static let noSteps: Self = "no-steps"
    static let unknownKind: Self = "unknown-kind"
    static let unknownInput: Self = "unknown-input"
    static let missingInput: Self = "missing-input"
    static let withWithoutUses: Self = "with-without-uses"
    static let emptyMatrix: Self = "empty-matrix"
    static let unknownDimension: Self = "unknown-dimension"
    static let expressionSyntax: Self = "expression-syntax"
    static let unknownContext: Self = "unknown-context"
    static let contextNotAllowed: Self = "context-not-allowed"
    static let unknownParam: Self = "unknown-param"
    static let unknownSecret: Self = "unknown-secret"
    static let unknownStep: Self = "unknown-step"
    static let missingNeed: Self = "missing-need"
    static let selfReference: Self = "self-reference"
    static let unknownOutput: Self = "unknown-output"
    static let unknownProperty: Self = "unknown-property"
}
