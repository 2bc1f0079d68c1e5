import Yams

/// A string that may hold `${{ … }}`, remembered while decoding so that expressions and their
/// references are checked once every param, secret, step and dependency is known.
struct TemplateSite {
    /// Which names an expression at this site may read.
    enum Scope {
        /// A param's `default:` — only `env` and `run`.
        case paramDefault
        /// Workflow-level `env:` — `params`, `env`, `secrets`, `run`.
        case workflowEnv
        /// A step's `run`, `env`, `with` or `if` (`field` says which) — every context;
        /// `steps.X` only for the step's (indirect) dependencies.
        case step(index: Int, field: Field)
    }

    enum Field {
        case run, env, with, condition
        /// `outputs:` — may also read the step's own outputs (from `$FLOW_OUTPUT`).
        case outputs
    }

    var text: String
    /// The scalar the text came from, to map offsets to lines and columns.
    var node: Node
    var scope: Scope
    /// True for `if:`, which is a bare expression (optionally wrapped in `${{ }}`).
    var isCondition: Bool = false
}
