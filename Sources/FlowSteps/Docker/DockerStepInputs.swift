import FlowCore
import FlowEngine

/// Typed reading of the `with:` inputs of the container kinds (`docker-build`, `scan`, `push`,
/// `deploy`) after `${{ }}` substitution. Validation already checked literal values against the
/// spec; values that came from expressions are checked here, and a wrong one is a permanent
/// `StepFailure` naming the input.
struct DockerStepInputs: Sendable {
    var values: [String: ExpressionValue]
    /// The step kind, for messages.
    var kind: String

    init(_ values: [String: ExpressionValue], kind: String) {
        self.values = values
        self.kind = kind
    }

    /// A string input; numbers and booleans are rendered as text; nil when absent, null or
    /// empty.
    /// - Throws: `StepFailure` (permanent) for a list or a map.
    func string(_ name: String) throws(StepFailure) -> String? {
        switch values[name] {
        case nil, .null: return nil
        case .string(let s): return s.isEmpty ? nil : s
        case .number, .bool: return values[name]!.renderedString
        case .array, .object: throw mismatch(name, "a string")
        }
    }

    /// A string input that must be given.
    /// - Throws: `StepFailure` (permanent) when it is absent or empty.
    func requiredString(_ name: String) throws(StepFailure) -> String {
        guard let value = try string(name) else {
            throw StepFailure("\(kind): input '\(name)' is required", permanent: true)
        }
        return value
    }

    /// A boolean input: `true`/`false`, or the strings "true"/"false" (outputs of other steps
    /// are strings).
    /// - Throws: `StepFailure` (permanent) for anything else.
    func bool(_ name: String, default fallback: Bool) throws(StepFailure) -> Bool {
        switch values[name] {
        case nil, .null: return fallback
        case .bool(let b): return b
        case .string(let s) where s.lowercased() == "true": return true
        case .string(let s) where s.lowercased() == "false": return false
        default: throw mismatch(name, "a boolean (true or false)")
        }
    }

    /// An integer input (an integral number, or a string holding one).
    /// - Throws: `StepFailure` (permanent) for anything else or a value outside `range`.
    func int(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws(StepFailure) -> Int {
        let value: Int
        switch values[name] {
        case nil, .null: return fallback
        case .number(let d) where d.rounded() == d && abs(d) < 1e15: value = Int(d)
        case .string(let s) where Int(s) != nil: value = Int(s)!
        default: throw mismatch(name, "an integer")
        }
        guard range.contains(value) else {
            throw StepFailure(
                "\(kind): input '\(name)' must be in \(range.lowerBound)...\(range.upperBound), not \(value)", permanent: true)
        }
        return value
    }

    /// A duration input such as `"30s"` (see `DurationText`).
    /// - Throws: `StepFailure` (permanent) for text that is not a duration.
    func duration(_ name: String, default fallback: Duration) throws(StepFailure) -> Duration {
        guard let text = try string(name) else { return fallback }
        guard let duration = DurationText.parse(text) else {
            throw mismatch(name, "a duration such as \"30s\"")
        }
        return duration
    }

    /// A list of strings: a list of scalars, or one string split at commas and line breaks
    /// (so `${{ steps.build.outputs.tags }}` can be passed on). Empty items are dropped.
    /// - Throws: `StepFailure` (permanent) for a map or a list holding lists or maps.
    func list(_ name: String) throws(StepFailure) -> [String] {
        switch values[name] {
        case nil, .null: return []
        case .string(let s):
            return s.split(whereSeparator: { $0 == "," || $0 == "\n" || $0 == "\r\n" })
                .map { Self.trimmed($0) }.filter { !$0.isEmpty }
        case .array(let items):
            var out: [String] = []
            for item in items {
                switch item {
                case .null: continue
                case .string, .number, .bool: out.append(item.renderedString)
                case .array, .object: throw mismatch(name, "a list of strings")
                }
            }
            return out
        default: throw mismatch(name, "a list of strings")
        }
    }

    /// A map of strings (values rendered as text).
    /// - Throws: `StepFailure` (permanent) for anything but a map of scalars.
    func map(_ name: String) throws(StepFailure) -> [String: String] {
        switch values[name] {
        case nil, .null: return [:]
        case .object(let entries):
            var out: [String: String] = [:]
            for (key, value) in entries {
                switch value {
                case .array, .object: throw mismatch(name, "a map of strings")
                case .null: out[key] = ""
                default: out[key] = value.renderedString
                }
            }
            return out
        default: throw mismatch(name, "a map of strings")
        }
    }

    /// One of `choices`, or `fallback` when absent.
    /// - Throws: `StepFailure` (permanent) for another value.
    func choice(_ name: String, _ choices: [String], default fallback: String) throws(StepFailure) -> String {
        guard let value = try string(name) else { return fallback }
        guard choices.contains(value) else {
            throw StepFailure("\(kind): input '\(name)' must be one of \(choices.joined(separator: ", ")), not '\(value)'", permanent: true)
        }
        return value
    }

    /// `text` without leading and trailing spaces and tabs.
    static func trimmed(_ text: Substring) -> String {
        var s = text
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }

    private func mismatch(_ name: String, _ expected: String) -> StepFailure {
        StepFailure("\(kind): input '\(name)' must be \(expected)", permanent: true)
    }
}
