/// A declared workflow parameter (`params:`), given on the command line as `-p name=value`.
public struct ParamSpec: Sendable, Hashable {
    /// The value types a parameter may have. `list` values are given as JSON arrays or
    /// comma-separated text on the command line.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case string, int, number, bool, list
    }

    public var name: String
    public var type: Kind
    public var required: Bool
    public var defaultValue: ExpressionValue?
    /// Whether `defaultValue` is a string holding `${{ }}`, evaluated when a run starts
    /// (`ParamResolver.resolve`) and then read as a value given on the command line is.
    public var defaultIsTemplate: Bool
    /// Allowed values, when restricted (`enum:`).
    public var allowed: [ExpressionValue]?
    public var description: String?
    public var location: SourceLocation?

    public init(
        name: String, type: Kind = .string, required: Bool = false,
        defaultValue: ExpressionValue? = nil, allowed: [ExpressionValue]? = nil,
        description: String? = nil, location: SourceLocation? = nil, defaultIsTemplate: Bool = false
    ) {
        self.name = name
        self.type = type
        self.required = required
        self.defaultValue = defaultValue
        self.defaultIsTemplate = defaultIsTemplate
        self.allowed = allowed
        self.description = description
        self.location = location
    }
}

/// A declared secret: where its value comes from. Values are masked as `***` in every log
/// line, output and database row.
public struct SecretSpec: Sendable, Hashable {
    public enum Source: Sendable, Hashable {
        /// The environment variable of this name (default: the secret's own name).
        case environment(String)
        /// The whole content of this file, without one trailing newline.
        case file(String)
    }

    public var name: String
    public var source: Source
    public var required: Bool
    public var location: SourceLocation?

    public init(name: String, source: Source, required: Bool = true, location: SourceLocation? = nil) {
        self.name = name
        self.source = source
        self.required = required
        self.location = location
    }
}
