import FlowCore
import FlowEngine
import Foundation

extension VectorStepInputs {
    /// A map input (`embed:`, `judge:`), or [:] when absent. A `${{ }}` substitution arrives as
    /// JSON text and is parsed.
    /// - Throws: a permanent `StepFailure` when the value is not a map.
    func evaluationObject(_ name: String) throws(StepFailure) -> [String: ExpressionValue] {
        switch values[name] {
        case nil, .null?: return [:]
        case .object(let members)?: return members
        case .string(let s)?:
            if let parsed = try? ExpressionValue(parsingJSON: s), let members = parsed.objectValue { return members }
            throw failure(name, "a map", .string(s))
        case let other?: throw failure(name, "a map", other)
        }
    }

    /// A map of numbers (`thresholds:`, `min_gain:`), keys in input order unknown: sorted.
    /// - Throws: a permanent `StepFailure` naming the key whose value is not a number.
    func evaluationNumbers(_ name: String) throws(StepFailure) -> [(key: String, value: Double)] {
        var out: [(key: String, value: Double)] = []
        for (key, value) in try evaluationObject(name).sorted(by: { $0.key < $1.key }) {
            guard let number = Self.number(value) else { throw failure("\(name).\(key)", "a number", value) }
            out.append((key, number))
        }
        return out
    }

    /// A finite number, or nil when absent.
    /// - Throws: a permanent `StepFailure` when the value is not a number.
    func evaluationNumber(_ name: String) throws(StepFailure) -> Double? {
        guard let value = values[name], value != .null else { return nil }
        guard let number = Self.number(value) else { throw failure(name, "a number", value) }
        return number
    }

    /// A number or a numeric string, when finite.
    static func number(_ value: ExpressionValue) -> Double? {
        let n: Double? =
            switch value {
            case .number(let n): n
            case .string(let s): Double(s.trimmingCharacters(in: .whitespaces))
            default: nil
            }
        return n.flatMap { $0.isFinite ? $0 : nil }
    }
}
