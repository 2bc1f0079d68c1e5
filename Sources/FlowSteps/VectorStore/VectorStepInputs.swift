public import FlowCore
import FlowEngine
import Foundation

/// Typed access to the `with:` inputs of the `embed` and `upsert` kinds (and of kinds reusing
/// their settings). Every problem is a permanent `StepFailure` naming the kind and the input.
/// Values substituted from `${{ }}` arrive as strings, so numbers and booleans are also read
/// from their text.
public struct VectorStepInputs: Sendable {
    public let kind: String
    public let values: [String: ExpressionValue]
    /// Where relative paths are resolved.
    public let workingDirectory: String

    public init(kind: String, _ values: [String: ExpressionValue], workingDirectory: String) {
        self.kind = kind
        self.values = values
        self.workingDirectory = workingDirectory
    }

    func failure(_ name: String, _ expected: String, _ got: ExpressionValue) -> StepFailure {
        StepFailure("\(kind): input '\(name)' must be \(expected), got \(got.json)", permanent: true)
    }

    /// The string, nil when absent, null or empty.
    func string(_ name: String) throws(StepFailure) -> String? {
        switch values[name] {
        case nil, .null?: return nil
        case .string(let s)?: return s.isEmpty ? nil : s
        case let other?: throw failure(name, "a string", other)
        }
    }

    /// A path, resolved against the working directory when relative; nil when absent.
    func path(_ name: String) throws(StepFailure) -> String? {
        try string(name).map(resolve)
    }

    func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: workingDirectory).appendingPathComponent(path).standardized.path
    }

    /// One of `choices`, or `fallback` when absent.
    func choice(_ name: String, _ choices: [String], default fallback: String) throws(StepFailure) -> String {
        guard let s = try string(name) else { return fallback }
        guard choices.contains(s) else {
            throw failure(name, "one of " + choices.map { "'\($0)'" }.joined(separator: ", "), .string(s))
        }
        return s
    }

    /// A whole number in `range`, or nil when absent.
    func int(_ name: String, in range: ClosedRange<Int>) throws(StepFailure) -> Int? {
        let expected = "an integer in \(range.lowerBound)...\(range.upperBound)"
        let value: Double
        switch values[name] {
        case nil, .null?: return nil
        case .number(let n)?: value = n
        case .string(let s)?:
            guard let n = Double(s.trimmingCharacters(in: .whitespaces)) else { throw failure(name, expected, .string(s)) }
            value = n
        case let other?: throw failure(name, expected, other)
        }
        guard value.rounded() == value, value >= Double(range.lowerBound), value <= Double(range.upperBound) else {
            throw failure(name, expected, .number(value))
        }
        return Int(value)
    }

    func bool(_ name: String, default fallback: Bool) throws(StepFailure) -> Bool {
        switch values[name] {
        case nil, .null?: return fallback
        case .bool(let b)?: return b
        case .string("true")?: return true
        case .string("false")?: return false
        case let other?: throw failure(name, "true or false", other)
        }
    }

    /// A duration such as `"30s"` (`DurationText`), or nil when absent.
    func duration(_ name: String) throws(StepFailure) -> Duration? {
        guard let s = try string(name) else { return nil }
        guard let d = DurationText.parse(s), d > .zero else { throw failure(name, "a positive duration such as \"30s\"", .string(s)) }
        return d
    }

    /// A list of strings (numbers are written as text), or [] when absent.
    func strings(_ name: String) throws(StepFailure) -> [String] {
        switch values[name] {
        case nil, .null?: return []
        case .array(let items)?:
            var out: [String] = []
            for item in items {
                switch item {
                case .string(let s): out.append(s)
                case .number: out.append(item.renderedString)
                default: throw failure(name, "a list of strings", .array(items))
                }
            }
            return out
        case .string(let s)?:
            // A `${{ }}` substitution of a list arrives as its JSON text.
            if let parsed = try? ExpressionValue(parsingJSON: s), case .array = parsed {
                return try VectorStepInputs(kind: kind, [name: parsed], workingDirectory: workingDirectory).strings(name)
            }
            return [s]
        case let other?: throw failure(name, "a list of strings", other)
        }
    }
}
