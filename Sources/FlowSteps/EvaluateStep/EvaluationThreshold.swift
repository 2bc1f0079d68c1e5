/// A lower bound on one evaluated value: `evaluate` fails when the value is below it.
public struct EvaluationThreshold: Sendable, Hashable {
    /// What the bound applies to.
    public enum Target: Sendable, Hashable {
        /// A retrieval metric, in one mode or (nil) in every mode evaluated.
        case retrieval(RetrievalMetric, mode: RetrievalMode?)
        case generation(GenerationMetric)
    }

    public var target: Target
    /// The value must be at least this.
    public var minimum: Double

    public init(target: Target, minimum: Double) {
        self.target = target
        self.minimum = minimum
    }

    /// Parses a `thresholds` key: a retrieval metric (`ndcg@10`, every mode), a mode and a
    /// metric (`hybrid/ndcg@10`), or a generation metric (`bleu`, `rouge_l`, `judge`).
    ///
    /// - Throws: `EvaluationError` `.unknownMetric` for an unknown mode or metric.
    public init(parsing key: String, minimum: Double) throws(EvaluationError) {
        self.minimum = minimum
        if let generation = GenerationMetric(rawValue: key.lowercased()) {
            target = .generation(generation)
            return
        }
        guard let slash = key.firstIndex(of: "/") else {
            target = .retrieval(try RetrievalMetric(parsing: key), mode: nil)
            return
        }
        let modeName = String(key[..<slash]).lowercased()
        guard let mode = RetrievalMode(rawValue: modeName) else {
            throw EvaluationError(
                .unknownMetric,
                "unknown mode '\(modeName)' in threshold '\(key)'; expected "
                    + RetrievalMode.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", "))
        }
        target = .retrieval(try RetrievalMetric(parsing: String(key[key.index(after: slash)...])), mode: mode)
    }

    /// One bound checked against one value.
    public struct Check: Sendable, Hashable {
        /// `hybrid ndcg@10`, `bleu`.
        public var name: String
        public var value: Double
        public var minimum: Double
        public var passed: Bool { value >= minimum }
    }

    /// The bound checked against the values measured (`retrieval[mode][metric]`, `generation`);
    /// values that were not measured are not checked.
    public func checks(
        retrieval: [RetrievalMode: [RetrievalMetric: Double]], generation: [GenerationMetric: Double]
    ) -> [Check] {
        switch target {
        case .generation(let metric):
            return generation[metric].map { [Check(name: metric.rawValue, value: $0, minimum: minimum)] } ?? []
        case .retrieval(let metric, let mode):
            let modes = mode.map { [$0] } ?? RetrievalMode.allCases
            return modes.compactMap { m in
                retrieval[m]?[metric].map { Check(name: "\(m.rawValue) \(metric)", value: $0, minimum: minimum) }
            }
        }
    }
}
