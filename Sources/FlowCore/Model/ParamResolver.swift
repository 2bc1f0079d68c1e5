/// Turns parameter values given as text (`-p name=value`, the API) into typed values checked
/// against a workflow's `params:` declarations.
public enum ParamResolver {
    /// One problem with a given parameter value: the parameter's name and what is expected.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        public var name: String
        public var message: String
        public var description: String { "parameter '\(name)': \(message)" }
    }

    /// Typed values for every declared parameter: given values converted, defaults filled in.
    ///
    /// Conversions: `int` accepts an optional sign and decimal digits; `number` any decimal or
    /// exponent form; `bool` `true` or `false` (also `True`/`TRUE`, `False`/`FALSE`: the
    /// YAML 1.2 core schema's booleans, so `-p` reads like the workflow file; `yes`, `1`… are
    /// rejected, as in YAML 1.2); `list` a JSON
    /// array of strings, or comma-separated text (items trimmed); `string` anything.
    ///
    /// A default holding `${{ }}` (`ParamSpec.defaultIsTemplate`) is rendered in
    /// `defaultContext` only when no value is given, and its text is then converted and checked
    /// against `enum` like a given value.
    /// - Parameter defaultContext: what template defaults read (`env`, `run`); nil renders
    ///   them in an empty context.
    /// - Returns: the values, or every problem found (unknown names with a suggestion, missing
    ///   required values, unconvertible values, values outside `enum`, template defaults that
    ///   do not render or give such values).
    public static func resolve(
        _ given: [String: String], declared: [ParamSpec], defaultContext: ExpressionContext? = nil
    ) -> Result<[String: ExpressionValue], ProblemList> {
        var values: [String: ExpressionValue] = [:]
        var problems: [Problem] = []
        let names = declared.map(\.name)
        for key in given.keys.sorted() where !names.contains(key) {
            let hint = Suggestion.closest(to: key, in: names).map { "; did you mean '\($0)'?" } ?? ""
            let known = names.isEmpty ? "the workflow declares no parameters" : "declared: " + names.joined(separator: ", ")
            problems.append(Problem(name: key, message: "unknown parameter (\(known))\(hint)"))
        }
        for spec in declared {
            var text = given[spec.name]
            // Where a bad value came from: nothing for a given one; a template default's source.
            var origin = ""
            if text == nil, spec.defaultIsTemplate, let source = spec.defaultValue?.stringValue {
                do throws(ExpressionError) {
                    let rendered = try Template.parse(source).render(in: defaultContext ?? ExpressionContext(values: [:]))
                    text = rendered
                    origin = "default '\(source)' evaluated to '\(rendered)': "
                } catch {
                    problems.append(Problem(name: spec.name, message: "default '\(source)' does not evaluate: \(error.message)"))
                    continue
                }
            }
            if let text {
                switch convert(text, to: spec.type) {
                case .success(let value):
                    // For a list, `enum` names the allowed items (as the loader and the docs say).
                    let items = spec.type == .list ? (value.arrayValue ?? []) : [value]
                    if let allowed = spec.allowed, let bad = items.first(where: { !allowed.contains($0) }) {
                        let list = allowed.map(display).joined(separator: ", ")
                        problems.append(Problem(name: spec.name, message: "\(origin)'\(display(bad))' is not one of: \(list)"))
                    } else {
                        values[spec.name] = value
                    }
                case .failure(let problem):
                    problems.append(Problem(name: spec.name, message: origin + problem.message))
                }
            } else if let value = spec.defaultValue {
                values[spec.name] = value
            } else if spec.required {
                problems.append(Problem(name: spec.name, message: "required, and no value was given (pass -p \(spec.name)=…)"))
            } else {
                values[spec.name] = .null
            }
        }
        return problems.isEmpty ? .success(values) : .failure(ProblemList(problems: problems))
    }

    /// Every problem at once.
    public struct ProblemList: Error, Sendable, CustomStringConvertible {
        public var problems: [Problem]
        public var description: String { problems.map(\.description).joined(separator: "\n") }
    }

    struct ConversionProblem: Error { var message: String }

    static func convert(_ text: String, to type: ParamSpec.Kind) -> Result<ExpressionValue, ConversionProblem> {
        switch type {
        case .string:
            return .success(.string(text))
        case .int:
            guard let v = Int64(text.trimmingSpaces) else {
                return .failure(ConversionProblem(message: "expected an integer, got '\(text)'"))
            }
            return .success(.number(Double(v)))
        case .number:
            guard let v = Double(text.trimmingSpaces), v.isFinite else {
                return .failure(ConversionProblem(message: "expected a number, got '\(text)'"))
            }
            return .success(.number(v))
        case .bool:
            switch text.trimmingSpaces {
            case "true", "True", "TRUE": return .success(.bool(true))
            case "false", "False", "FALSE": return .success(.bool(false))
            default: return .failure(ConversionProblem(message: "expected true or false, got '\(text)'"))
            }
        case .list:
            let trimmed = text.trimmingSpaces
            if trimmed.hasPrefix("[") {
                guard let value = try? ExpressionValue(parsingJSON: String(trimmed)), case .array = value else {
                    return .failure(ConversionProblem(message: "expected a JSON array or comma-separated values, got '\(text)'"))
                }
                return .success(value)
            }
            if trimmed.isEmpty { return .success(.array([])) }
            return .success(
                .array(
                    trimmed.split(separator: ",", omittingEmptySubsequences: false).map {
                        .string(String(String($0).trimmingSpaces))
                    }))
        }
    }

    static func display(_ value: ExpressionValue) -> String {
        switch value {
        case .string(let s): return s
        case .number(let n): return n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .bool(let b): return b ? "true" : "false"
        default: return "\(value)"
        }
    }
}
