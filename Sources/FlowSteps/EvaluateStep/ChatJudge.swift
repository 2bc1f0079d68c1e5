import FlowCore
public import FlowEngine
public import Foundation

/// LLM-as-a-judge: asks a chat model behind any OpenAI-compatible API (OpenAI, vLLM, Ollama,
/// LiteLLM…) to grade each generated answer against its references with a rubric, and parses
/// the score from its reply.
///
/// One request per answer: `POST {baseURL}/chat/completions` with
/// `{"model", "temperature": 0, "messages": [system, user]}` (OpenAI API reference, "Create
/// chat completion"); the reply is `choices[0].message.content`. The system message holds the
/// rubric and the scale and asks for `{"score": <integer>, "reason": "…"}`; the user message
/// holds the question (when known), the reference answers and the answer to grade. The score
/// is read by `parseScore` (a JSON object's `score`, else `score: N`, else a bare number) and
/// must lie within `scale`. Requests are retried on 408/429/5xx, timeouts and connection
/// failures (`HTTPRetryPolicy`); the API key goes in `Authorization: Bearer …` and never into a
/// log line or message.
public struct ChatJudge: Sendable {
    public var baseURL: URL
    public var model: String
    /// What a good answer is, in words; shown to the model as is.
    public var rubric: String
    /// Lowest and highest score; the lower bound ≥ 0.
    public var scale: ClosedRange<Int>
    /// Requests in flight at most; ≥ 1.
    public var concurrency: Int
    var client: JSONHTTPClient

    /// The rubric used when none is given.
    public static let defaultRubric = """
        Grade how correct and complete the answer is with respect to the reference answer. The highest score means \
        every fact in the reference is stated and nothing contradicts it; the lowest means the answer is wrong, \
        unrelated or empty. Do not reward length or style.
        """

    public init(
        baseURL: URL, model: String, apiKey: String?, rubric: String = defaultRubric, scale: ClosedRange<Int> = 1...5,
        concurrency: Int = 4, retry: HTTPRetryPolicy = HTTPRetryPolicy(), timeout: Duration = .seconds(120),
        log: StepLog = .discarding
    ) {
        precondition(scale.lowerBound >= 0, "scale")
        self.baseURL = baseURL
        self.model = model
        self.rubric = rubric
        self.scale = scale
        self.concurrency = max(1, concurrency)
        var headers: [String: String] = [:]
        if let apiKey, !apiKey.isEmpty { headers["Authorization"] = "Bearer " + apiKey }
        client = JSONHTTPClient(retry: retry, timeout: timeout, headers: headers) { log.write("evaluate: judge: " + $0) }
    }

    /// Grades every example, `concurrency` at a time; verdicts in input order.
    /// - Throws: `StepFailure` for a failed request or a reply without a score in the scale
    ///   (naming the example); `CancellationError`.
    public func grade(_ examples: [GenerationExample]) async throws -> [JudgeVerdict] {
        var verdicts = [JudgeVerdict?](repeating: nil, count: examples.count)
        try await withThrowingTaskGroup(of: (Int, JudgeVerdict).self) { group in
            var next = 0
            func start() {
                let index = next
                let example = examples[index]
                next += 1
                group.addTask { (index, try await grade(example)) }
            }
            while next < min(concurrency, examples.count) { start() }
            while let (index, verdict) = try await group.next() {
                verdicts[index] = verdict
                if next < examples.count { start() }
            }
        }
        return verdicts.map { $0! }
    }

    /// Grades one example.
    /// - Throws: as `grade(_:)`.
    public func grade(_ example: GenerationExample) async throws -> JudgeVerdict {
        let url = baseURL.appendingPathComponent("chat/completions")
        let body: [String: ExpressionValue] = [
            "model": .string(model),
            "temperature": .number(0),
            "messages": .array(
                Self.messages(rubric: rubric, scale: scale, example: example).map { role, content in
                    .object(["role": .string(role), "content": .string(content)])
                }),
        ]
        let response: JSONHTTPClient.Response
        do {
            response = try await client.send("POST", url, body: Data(JSONText.encode(body).utf8))
        } catch let failure as JSONHTTPClient.TransportFailure {
            throw StepFailure("evaluate: judge: \(failure.message)")
        }
        guard (200..<300).contains(response.status) else {
            throw StepFailure(
                "evaluate: judge: POST \(JSONHTTPClient.display(url)) answered HTTP \(response.status)"
                    + OpenAIEmbedder.errorDetail(response.body),
                permanent: !HTTPRetryPolicy.isRetryable(status: response.status))
        }
        guard let content = Self.replyContent(response.body) else {
            throw StepFailure(
                "evaluate: judge: the response of POST \(JSONHTTPClient.display(url)) has no choices[0].message.content")
        }
        guard let verdict = Self.parseScore(content) else {
            throw StepFailure("evaluate: judge: no score in the reply for example \(example.id): \(Self.excerpt(content))")
        }
        guard verdict.score >= Double(scale.lowerBound), verdict.score <= Double(scale.upperBound) else {
            throw StepFailure(
                "evaluate: judge: score \(verdict.score) for example \(example.id) is outside \(scale.lowerBound)…\(scale.upperBound)")
        }
        return verdict
    }

    /// The `(role, content)` messages sent for `example`.
    public static func messages(rubric: String, scale: ClosedRange<Int>, example: GenerationExample) -> [(String, String)] {
        let system = """
            You are an impartial judge grading an answer.

            Rubric:
            \(rubric)

            Give an integer score from \(scale.lowerBound) (worst) to \(scale.upperBound) (best). \
            Reply with only a JSON object: {"score": <integer>, "reason": "<one sentence>"}
            """
        var user = ""
        if let question = example.question { user += "Question:\n\(question)\n\n" }
        user += example.references.count == 1 ? "Reference answer:\n" : "Reference answers:\n"
        user += example.references.enumerated().map { example.references.count == 1 ? $1 : "\($0 + 1). \($1)" }
            .joined(separator: "\n")
        user += "\n\nAnswer to grade:\n\(example.prediction)"
        return [("system", system), ("user", user)]
    }

    /// `choices[0].message.content` of a chat completion, or nil.
    static func replyContent(_ body: Data) -> String? {
        guard let value = try? ExpressionValue(parsingJSON: String(decoding: body, as: UTF8.self)),
            let choice = value.objectValue?["choices"]?.arrayValue?.first,
            let content = choice.objectValue?["message"]?.objectValue?["content"]?.stringValue
        else { return nil }
        return content
    }

    /// The score in a judge's reply, tried in this order: the `score` of the JSON object the
    /// reply holds (from its first `{` to its last `}`; a number or a numeric string), then
    /// the number after the word `score` and a `:` or `=` (any case, e.g. `Score: 4` or
    /// `**Score:** 4/5`), then the whole reply as a bare number. Nil when none gives a finite
    /// number.
    public static func parseScore(_ reply: String) -> JudgeVerdict? {
        if let open = reply.firstIndex(of: "{"), let close = reply.lastIndex(of: "}"), open < close,
            let object = (try? ExpressionValue(parsingJSON: String(reply[open...close])))?.objectValue
        {
            let number: Double? =
                switch object["score"] {
                case .number(let n)?: n
                case .string(let s)?: Double(s.trimmingCharacters(in: .whitespaces))
                default: nil
                }
            if let number, number.isFinite { return JudgeVerdict(score: number, reason: object["reason"]?.stringValue) }
        }
        let lowered = reply.lowercased()
        var searchStart = lowered.startIndex
        while let found = lowered.range(of: "score", range: searchStart..<lowered.endIndex) {
            var index = found.upperBound
            func skip(_ characters: Set<Character>) {
                while index < lowered.endIndex, characters.contains(lowered[index]) { index = lowered.index(after: index) }
            }
            skip([" ", "*", "_", "\t"])
            if index < lowered.endIndex, lowered[index] == ":" || lowered[index] == "=" {
                index = lowered.index(after: index)
                skip([" ", "*", "_", "\t"])
                if let number = leadingNumber(lowered[index...]) { return JudgeVerdict(score: number) }
            }
            searchStart = found.upperBound
        }
        if let number = Double(reply.trimmingCharacters(in: .whitespacesAndNewlines)), number.isFinite {
            return JudgeVerdict(score: number)
        }
        return nil
    }

    /// The decimal number at the start of `text` (digits with at most one `.`), or nil.
    private static func leadingNumber(_ text: Substring) -> Double? {
        var end = text.startIndex
        var seenDot = false
        while end < text.endIndex {
            let c = text[end]
            if c.isASCII, c.isNumber {
            } else if c == ".", !seenDot {
                seenDot = true
            } else {
                break
            }
            end = text.index(after: end)
        }
        var digits = text[text.startIndex..<end]
        if digits.hasSuffix(".") { digits = digits.dropLast() }
        return Double(digits).flatMap { $0.isFinite ? $0 : nil }
    }

    private static func excerpt(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        return flat.count > 200 ? String(flat.prefix(200)) + "…" : flat
    }
}
