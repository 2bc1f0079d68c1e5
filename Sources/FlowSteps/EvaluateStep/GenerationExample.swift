import FlowCore
import Foundation

/// One generated answer with its reference answers, a line of the `generations` file of
/// `evaluate`: `{"prediction": "…", "reference": "…"}` or `{"prediction": "…", "references":
/// ["…", "…"]}`, optionally with `"question": "…"` (shown to the judge) and an `"id"`.
public struct GenerationExample: Sendable, Hashable {
    /// A label for messages: the line's `id`, else its line number.
    public var id: String
    public var question: String?
    public var prediction: String
    /// At least one.
    public var references: [String]

    /// An example given in memory.
    public init(id: String, question: String? = nil, prediction: String, references: [String]) {
        self.id = id
        self.question = question
        self.prediction = prediction
        self.references = references
    }

    /// Parses a JSONL file of examples; blank lines are skipped, other keys ignored.
    ///
    /// - Parameter file: the name used in error messages.
    /// - Throws: `EvaluationError` with `file:line`: `.malformedLine` for a line that is not a
    ///   JSON object with a string `prediction` and a string `reference` or a non-empty list of
    ///   strings `references`.
    public static func parseJSONL(_ text: String, file: String = "<generations>") throws(EvaluationError) -> [GenerationExample] {
        var examples: [GenerationExample] = []
        var lineNumber = 0
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            if line.allSatisfy(\.isWhitespace) { continue }
            func bad(_ reason: String) -> EvaluationError {
                EvaluationError(.malformedLine, reason, file: file, line: lineNumber)
            }
            guard let value = try? ExpressionValue(parsingJSON: String(line)), let object = value.objectValue else {
                throw bad("expected a JSON object {\"prediction\": …, \"reference\": … or \"references\": […]}")
            }
            guard let prediction = object["prediction"]?.stringValue else { throw bad("missing string 'prediction'") }
            var references: [String]
            if let single = object["reference"]?.stringValue {
                references = [single]
            } else if let list = object["references"]?.arrayValue, !list.isEmpty {
                references = []
                for item in list {
                    guard let s = item.stringValue else { throw bad("'references' must be a list of strings") }
                    references.append(s)
                }
            } else {
                throw bad("missing string 'reference' or non-empty list 'references'")
            }
            let id = object["id"].flatMap { $0.stringValue ?? ($0 == .null ? nil : $0.renderedString) } ?? "line \(lineNumber)"
            examples.append(
                GenerationExample(id: id, question: object["question"]?.stringValue, prediction: prediction, references: references))
        }
        return examples
    }
}
