/// The DAG of a workflow's steps: dependency checks, cycle detection and a deterministic
/// topological order (Kahn's algorithm, ties broken by file order).
public struct WorkflowGraph: Sendable {
    /// Step ids in file order.
    public let ids: [StepID]
    /// For each step (by index), the indices of the steps it needs.
    public let needs: [[Int]]
    /// For each step (by index), the indices of the steps that need it.
    public let dependents: [[Int]]
    public let index: [StepID: Int]

    /// Builds the graph, reporting unknown `needs`, self-dependencies, duplicate entries and
    /// cycles as diagnostics (all of them). Steps with problems keep their valid edges so
    /// later checks can still run.
    public static func build(_ steps: [Step]) -> (WorkflowGraph, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var index: [StepID: Int] = [:]
        for (i, step) in steps.enumerated() where index[step.id] == nil { index[step.id] = i }
        var needs = [[Int]](repeating: [], count: steps.count)
        var dependents = [[Int]](repeating: [], count: steps.count)
        for (i, step) in steps.enumerated() {
            var seen: Set<StepID> = []
            for need in step.needs {
                if need.value == step.id {
                    diagnostics.append(
                        Diagnostic(
                            code: "self-dependency", message: "step '\(step.id)' needs itself",
                            at: need.location, hint: "remove '\(step.id)' from its own 'needs'",
                            length: need.value.rawValue.count))
                    continue
                }
                guard let j = index[need.value] else {
                    let hint = Suggestion.closest(to: need.value.rawValue, in: steps.map(\.id.rawValue))
                        .map { "did you mean '\($0)'?" }
                    diagnostics.append(
                        Diagnostic(
                            code: "unknown-need",
                            message: "step '\(step.id)' needs unknown step '\(need.value)'",
                            at: need.location, hint: hint, length: need.value.rawValue.count))
                    continue
                }
                if !seen.insert(need.value).inserted {
                    diagnostics.append(
                        Diagnostic(
                            .warning, code: "duplicate-need",
                            message: "step '\(step.id)' lists '\(need.value)' in 'needs' more than once",
                            at: need.location, length: need.value.rawValue.count))
                    continue
                }
                needs[i].append(j)
                dependents[j].append(i)
            }
        }
        let graph = WorkflowGraph(ids: steps.map(\.id), needs: needs, dependents: dependents, index: index)
        diagnostics += graph.cycleDiagnostics(steps)
        return (graph, diagnostics)
    }

    /// Steps in an order where every step comes after all it needs; steps on a cycle are left
    /// out. Among ready steps, file order wins.
    public var topologicalOrder: [Int] {
        var remaining = needs.map(\.count)
        var ready = remaining.indices.filter { remaining[$0] == 0 }
        var order: [Int] = []
        order.reserveCapacity(ids.count)
        var heap = MinHeap(ready)
        ready.removeAll()
        while let i = heap.pop() {
            order.append(i)
            for d in dependents[i] {
                remaining[d] -= 1
                if remaining[d] == 0 { heap.push(d) }
            }
        }
        return order
    }

    /// One diagnostic per elementary cycle found by depth-first search, pointing at the `needs`
    /// entry that closes it and listing the path (`a → b → c → a`).
    func cycleDiagnostics(_ steps: [Step]) -> [Diagnostic] {
        var state = [UInt8](repeating: 0, count: ids.count)  // 0 new, 1 on stack, 2 done
        var stack: [Int] = []
        var diagnostics: [Diagnostic] = []
        // Iterative DFS so a chain of thousands of steps cannot overflow the stack.
        for root in ids.indices where state[root] == 0 {
            var frames: [(node: Int, next: Int)] = [(root, 0)]
            state[root] = 1
            stack.append(root)
            while var frame = frames.popLast() {
                if frame.next < needs[frame.node].count {
                    let target = needs[frame.node][frame.next]
                    frame.next += 1
                    frames.append(frame)
                    if state[target] == 1 {
                        let start = stack.lastIndex(of: target)!
                        let path = stack[start...].map { ids[$0].rawValue } + [ids[target].rawValue]
                        let step = steps[frame.node]
                        let entry = step.needs.first { $0.value == ids[target] }
                        diagnostics.append(
                            Diagnostic(
                                code: "cycle",
                                message: "dependency cycle: " + path.joined(separator: " → "),
                                at: entry?.location ?? step.location,
                                hint: "a step cannot (indirectly) need itself; remove one 'needs' entry on the path",
                                length: ids[target].rawValue.count))
                    } else if state[target] == 0 {
                        state[target] = 1
                        stack.append(target)
                        frames.append((target, 0))
                    }
                } else {
                    state[frame.node] = 2
                    stack.removeLast()
                }
            }
        }
        return diagnostics
    }
}

/// A binary min-heap of indices, for deterministic "lowest index first" scheduling.
struct MinHeap {
    private var items: [Int] = []

    init(_ values: [Int]) {
        for v in values { push(v) }
    }

    var isEmpty: Bool { items.isEmpty }

    mutating func push(_ value: Int) {
        items.append(value)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if items[parent] <= items[child] { break }
            items.swapAt(parent, child)
            child = parent
        }
    }

    mutating func pop() -> Int? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var parent = 0
            while true {
                let l = 2 * parent + 1, r = l + 1
                var smallest = parent
                if l < items.count, items[l] < items[smallest] { smallest = l }
                if r < items.count, items[r] < items[smallest] { smallest = r }
                if smallest == parent { break }
                items.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return top
    }
}
