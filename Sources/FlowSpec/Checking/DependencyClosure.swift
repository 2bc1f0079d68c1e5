import FlowCore

/// For every step, the set of steps it needs directly or indirectly, as one bitset per step
/// computed once in topological order: O(steps × edges / 64) words, so checking a
/// `steps.X` reference is one bit test however large the workflow.
struct DependencyClosure {
    private let words: Int
    private var bits: [UInt64]
    /// False for steps on (or after) a cycle: their closure is not in `bits`.
    private var known: [Bool]
    /// Direct needs, for the steps that are not `known`.
    private let needs: [[Int]]

    init(_ graph: WorkflowGraph) {
        let count = graph.ids.count
        words = max(1, (count + 63) / 64)
        bits = [UInt64](repeating: 0, count: count * words)
        known = [Bool](repeating: false, count: count)
        needs = graph.needs
        for step in graph.topologicalOrder {
            known[step] = true
            let base = step * words
            for need in graph.needs[step] {
                bits[base + need / 64] |= 1 << UInt64(need % 64)
                let needBase = need * words
                for word in 0..<words { bits[base + word] |= bits[needBase + word] }
            }
        }
    }

    /// Whether `step` needs `ancestor` directly or indirectly. For a step on (or after) a
    /// cycle — already an error — the needs are walked each time, so its other problems
    /// (`missing-need`) are still reported in the same pass.
    func contains(_ ancestor: Int, in step: Int) -> Bool {
        if known[step] { return bits[step * words + ancestor / 64] & (1 << UInt64(ancestor % 64)) != 0 }
        var seen = Set<Int>()
        var pending = needs[step]
        while let next = pending.popLast() {
            if next == ancestor { return true }
            if seen.insert(next).inserted { pending += needs[next] }
        }
        return false
    }
}
