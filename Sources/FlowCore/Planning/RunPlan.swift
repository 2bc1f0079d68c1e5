/// The pure state machine of one run: which step runs exist (matrix combinations expanded),
/// which are ready, and how the run ends. Owned by one loop; no clock, no I/O.
///
/// Readiness follows GitHub Actions' job rules: a step run becomes ready once everything it
/// needs has finished; its `if:` (default `success()`) is then evaluated by the caller with
/// `status(for:)`. The default condition holds when every step it needs directly succeeded (a
/// failure tolerated by `continue-on-error` counts as success) and no ancestor failed — so a
/// skip propagates through default steps, but a step that opted in with `if: always()` and
/// succeeded releases its dependents (GitHub Actions would skip them too: a known trap).
/// `failure()` is true when some ancestor failed or timed out.
public struct RunPlan: Sendable {
    /// One step run: a step, or one combination of a matrix step.
    public struct Unit: Sendable {
        /// `build`, or `build[linux,3.12]` for a matrix combination.
        public var id: StepID
        /// The step as written.
        public var stepID: StepID
        public var stepIndex: Int
        /// This combination's values by dimension name (empty without a matrix).
        public var matrix: [String: ExpressionValue]
        /// Units this one waits for (every combination of each needed step).
        public var needs: [Int]
    }

    public enum State: Sendable, Hashable {
        case pending
        case running
        case finished(StepOutcome, tolerated: Bool)
    }

    public let units: [Unit]
    public private(set) var states: [State]
    /// For each unit, the units that need it.
    private let dependents: [[Int]]
    private var remaining: [Int]
    private var readyHeap: MinHeap
    /// Per unit: some ancestor failed (not tolerated) / some direct need did not succeed.
    private var ancestorFailed: [Bool]
    private var ancestorNotSucceeded: [Bool]
    public private(set) var cancelled = false
    public private(set) var finishedCount = 0
    /// Units per step id (a matrix step has several).
    public let unitsByStep: [StepID: [Int]]

    /// Expands `workflow`'s steps (with `graph` from `WorkflowGraph.build`, cycle-free) into units.
    /// `preset` marks units already finished (outputs reused by `flow retry`).
    public init(workflow: Workflow, graph: WorkflowGraph) {
        var units: [Unit] = []
        var byStep: [StepID: [Int]] = [:]
        // Step run ids are keys (of the store's step runs, of `flow logs`): two combinations
        // that read alike (validation reports them) still get distinct ids, `t[a]` and `t[a]#2`.
        var used: Set<StepID> = []
        for i in graph.topologicalOrder {
            let step = workflow.steps[i]
            let needs = graph.needs[i].flatMap { byStep[workflow.steps[$0].id] ?? [] }
            var indices: [Int] = []
            for combination in step.matrix.map(Self.combinations) ?? [[:]] {
                indices.append(units.count)
                var id = step.matrix.map { Self.unitID(step.id, combination, $0) } ?? step.id
                if used.contains(id) {
                    let base = id.rawValue
                    var n = 2
                    while used.contains(StepID("\(base)#\(n)")) { n += 1 }
                    id = StepID("\(base)#\(n)")
                }
                used.insert(id)
                units.append(Unit(id: id, stepID: step.id, stepIndex: i, matrix: combination, needs: needs))
            }
            byStep[step.id] = indices
        }
        // Keep file order among ready units (units were appended in topological order).
        var dependents = [[Int]](repeating: [], count: units.count)
        for (u, unit) in units.enumerated() { for n in unit.needs { dependents[n].append(u) } }
        self.units = units
        self.dependents = dependents
        self.unitsByStep = byStep
        self.states = Array(repeating: .pending, count: units.count)
        self.remaining = units.map(\.needs.count)
        self.readyHeap = MinHeap(units.indices.filter { units[$0].needs.isEmpty })
        self.ancestorFailed = Array(repeating: false, count: units.count)
        self.ancestorNotSucceeded = Array(repeating: false, count: units.count)
    }

    /// The next unit whose needs have all finished, lowest index first; nil when none is ready
    /// now. The caller must then call `start` or `finish` (for a skip) on it.
    public mutating func nextReady() -> Int? { readyHeap.pop() }

    public mutating func start(_ unit: Int) {
        states[unit] = .running
    }

    /// Records how `unit` ended and releases the units that need it.
    /// `tolerated`: a failure allowed by `continue-on-error`.
    public mutating func finish(_ unit: Int, _ outcome: StepOutcome, tolerated: Bool = false) {
        if case .finished = states[unit] { return }
        states[unit] = .finished(outcome, tolerated: tolerated)
        finishedCount += 1
        let ok = outcome.isSuccess || tolerated
        let failed: Bool
        switch outcome {
        case .failed, .timedOut, .interrupted: failed = !tolerated
        default: failed = false
        }
        for d in dependents[unit] {
            if failed || ancestorFailed[unit] { ancestorFailed[d] = true }
            // Only direct needs count here: a step that opted in (`if: always()`) and
            // succeeded lets the steps that need it run, unlike GitHub's transitive skip.
            if !ok { ancestorNotSucceeded[d] = true }
            remaining[d] -= 1
            if remaining[d] == 0 { readyHeap.push(d) }
        }
    }

    /// Marks the run cancelled: `success()` becomes false and `cancelled()` true for steps not yet started.
    public mutating func cancel() { cancelled = true }

    /// What `success()`, `failure()` and `cancelled()` see for `unit`.
    public func status(for unit: Int) -> (success: Bool, failure: Bool, cancelled: Bool) {
        (!ancestorNotSucceeded[unit] && !ancestorFailed[unit] && !cancelled, ancestorFailed[unit], cancelled)
    }

    public var isComplete: Bool { finishedCount == units.count }

    /// The run's final status: cancelled if cancelled, failed if any unit failed, timed out or
    /// was interrupted without `continue-on-error`, else succeeded.
    public var runStatus: RunStatus {
        if cancelled { return .cancelled }
        for state in states {
            switch state {
            case .finished(.failed, false), .finished(.timedOut, false): return .failed
            case .finished(.interrupted, _): return .interrupted
            case .pending, .running: return .running
            default: continue
            }
        }
        return .succeeded
    }

    /// Every combination of `matrix`: the cartesian product in dimension order (last varies
    /// fastest), without those matching an `exclude` entry, then each `include` entry that
    /// matches no combination as its own (GitHub's rules, simplified: an include that matches
    /// existing combinations adds its extra keys to them).
    public static func combinations(_ matrix: Matrix) -> [[String: ExpressionValue]] {
        var result: [[String: ExpressionValue]] = [[:]]
        for dimension in matrix.dimensions {
            result = result.flatMap { partial in
                dimension.values.map { value in partial.merging([dimension.name: value]) { $1 } }
            }
        }
        if matrix.dimensions.isEmpty { result = [] }
        result.removeAll { combination in
            matrix.exclude.contains { entry in entry.allSatisfy { combination[$0.key] == $0.value } }
        }
        let dimensionNames = Set(matrix.dimensions.map(\.name))
        for entry in matrix.include {
            let keys = entry.filter { dimensionNames.contains($0.key) }
            var matched = false
            if !keys.isEmpty {
                for i in result.indices where keys.allSatisfy({ result[i][$0.key] == $0.value }) {
                    result[i].merge(entry) { old, _ in old }
                    matched = true
                }
            }
            if !matched { result.append(entry) }
        }
        return result
    }

    /// The step run id of each combination of `matrix` (`combinations` order), as written:
    /// two combinations may read alike (`x: [a, a]`, or values holding a comma), which the
    /// loader reports; `init` then adds `#2`, `#3`… to the later ones.
    public static func combinationIDs(_ step: StepID, _ matrix: Matrix) -> [StepID] {
        combinations(matrix).map { unitID(step, $0, matrix) }
    }

    /// `step[v1,v2]`: the values in dimension order, then any include-only keys sorted by name.
    static func unitID(_ step: StepID, _ combination: [String: ExpressionValue], _ matrix: Matrix) -> StepID {
        let ordered = matrix.dimensions.map(\.name).filter { combination[$0] != nil }
        let extra = combination.keys.filter { key in !matrix.dimensions.contains { $0.name == key } }.sorted()
        let values = (ordered + extra).map { Self.label(combination[$0]!) }
        return StepID("\(step.rawValue)[\(values.joined(separator: ","))]")
    }

    /// A value as it reads in a step run id: numbers without a needless `.0`, arrays
    /// space-separated.
    public static func label(_ value: ExpressionValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .number(let n): n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .string(let s): s
        case .array(let a): a.map(label).joined(separator: " ")
        case .object: "{…}"
        }
    }
}
