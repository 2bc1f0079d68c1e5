/// The declared interface of a built-in step kind (`uses:`): its `with:` inputs and outputs.
/// Validation checks `with:` against it; `flow schema` and `docs/steps/<kind>.md` describe it.
public struct StepKindSpec: Sendable {
    /// The type of one input, checked at validation time (strings holding `${{ }}` are checked
    /// after substitution, at run time).
    public indirect enum InputType: Sendable, Hashable, CustomStringConvertible {
        case string
        case int
        case number
        case bool
        /// A duration such as `"30s"` (see `DurationText`).
        case duration
        case list(InputType)
        /// A map of string keys to values of the given type.
        case map(InputType)
        /// One of the given strings.
        case oneOf([String])
        /// Any JSON-like value.
        case any

        public var description: String {
            switch self {
            case .string: "string"
            case .int: "integer"
            case .number: "number"
            case .bool: "boolean"
            case .duration: "duration (e.g. \"30s\")"
            case .list(let t): "list of \(t)"
            case .map(let t): "map of \(t)"
            case .oneOf(let values): "one of " + values.map { "'\($0)'" }.joined(separator: ", ")
            case .any: "any value"
            }
        }
    }

    public struct Input: Sendable {
        public var name: String
        public var type: InputType
        public var required: Bool
        public var defaultValue: ExpressionValue?
        public var summary: String

        public init(
            _ name: String, _ type: InputType, required: Bool = false, default defaultValue: ExpressionValue? = nil, _ summary: String
        ) {
            self.name = name
            self.type = type
            self.required = required
            self.defaultValue = defaultValue
            self.summary = summary
        }
    }

    public struct Output: Sendable {
        public var name: String
        public var summary: String
        public init(_ name: String, _ summary: String) {
            self.name = name
            self.summary = summary
        }
    }

    public var name: String
    public var summary: String
    public var inputs: [Input]
    public var outputs: [Output]

    public init(name: String, summary: String, inputs: [Input], outputs: [Output]) {
        self.name = name
        self.summary = summary
        self.inputs = inputs
        self.outputs = outputs
    }

    public func input(_ name: String) -> Input? { inputs.first { $0.name == name } }
}

/// The step kinds known to one validator or engine, by name. A value passed in, never a
/// global: tests and the daemon build their own.
public struct StepKindCatalog: Sendable {
    public private(set) var kinds: [String: StepKindSpec]

    public init(_ specs: [StepKindSpec] = []) {
        kinds = [:]
        for spec in specs { kinds[spec.name] = spec }
    }

    public subscript(name: String) -> StepKindSpec? { kinds[name] }

    /// Kind names, sorted.
    public var names: [String] { kinds.keys.sorted() }
}
