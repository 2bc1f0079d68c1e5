import FlowCore
import FlowEngine

/// Typed access to one step's `with:` inputs for the ingest kinds (`crawl`, `parse`,
/// `chunk`). Every problem is a permanent `StepFailure` naming the kind and the input.
struct IngestInputs {
    let kind: String
    let values: [String: ExpressionValue]

    init(kind: String, _ values: [String: ExpressionValue]) {
        self.kind = kind
        self.values = values
    }

    func failure(_ name: String, _ expected: String, _ got: ExpressionValue) -> StepFailure {
        StepFailure("\(kind): input '\(name)' must be \(expected), got \(got.json)", permanent: true)
    }

    /// The string value, nil when absent or null. Numbers and booleans are not strings.
    func string(_ name: String) throws(StepFailure) -> String? {
        switch values[name] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let other?: throw failure(name, "a string", other)
        }
    }

    /// A whole number within `range`, or `defaultValue` when absent.
    func int(_ name: String, default defaultValue: Int, in range: ClosedRange<Int>) throws(StepFailure) -> Int {
        let value: Double
        switch values[name] {
        case nil, .null?: return defaultValue
        case .number(let n)?: value = n
        case .string(let s)?:
            guard let n = Double(s) else { throw failure(name, "an integer in \(range.lowerBound)...\(range.upperBound)", .string(s)) }
            value = n
        case let other?: throw failure(name, "an integer", other)
        }
        guard value.rounded() == value, value >= Double(range.lowerBound), value <= Double(range.upperBound) else {
            throw failure(name, "an integer in \(range.lowerBound)...\(range.upperBound)", .number(value))
        }
        return Int(value)
    }

    /// A number ≥ `minimum`, or `defaultValue` when absent.
    func number(_ name: String, default defaultValue: Double, minimum: Double) throws(StepFailure) -> Double {
        let value: Double
        switch values[name] {
        case nil, .null?: return defaultValue
        case .number(let n)?: value = n
        case .string(let s)?:
            guard let n = Double(s) else { throw failure(name, "a number ≥ \(minimum)", .string(s)) }
            value = n
        case let other?: throw failure(name, "a number", other)
        }
        guard value.isFinite, value >= minimum else { throw failure(name, "a number ≥ \(minimum)", .number(value)) }
        return value
    }

    func bool(_ name: String, default defaultValue: Bool) throws(StepFailure) -> Bool {
        switch values[name] {
        case nil, .null?: return defaultValue
        case .bool(let b)?: return b
        case .string("true")?: return true
        case .string("false")?: return false
        case let other?: throw failure(name, "true or false", other)
        }
    }

    /// A list of strings; a single string counts as a list of one.
    func strings(_ name: String) throws(StepFailure) -> [String] {
        switch values[name] {
        case nil, .null?: return []
        case .string(let s)?: return [s]
        case .array(let items)?:
            var out: [String] = []
            for item in items {
                guard case .string(let s) = item else { throw failure(name, "a list of strings", .array(items)) }
                out.append(s)
            }
            return out
        case let other?: throw failure(name, "a list of strings", other)
        }
    }

    /// A duration written with units (`"30s"`), or `defaultValue` when absent.
    func duration(_ name: String, default defaultValue: Duration) throws(StepFailure) -> Duration {
        switch values[name] {
        case nil, .null?: return defaultValue
        case .string(let s)?:
            guard let d = DurationText.parse(s) else { throw failure(name, "a duration such as \"30s\"", .string(s)) }
            return d
        case let other?: throw failure(name, "a duration such as \"30s\"", other)
        }
    }

    /// One of `allowed` (by raw value), or `defaultValue` when absent.
    func choice<T: RawRepresentable & CaseIterable>(_ name: String, default defaultValue: T) throws(StepFailure) -> T
    where T.RawValue == String {
        guard let s = try string(name) else { return defaultValue }
        guard let value = T(rawValue: s) else {
            let names = T.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            throw failure(name, "one of \(names)", .string(s))
        }
        return value
    }
}
