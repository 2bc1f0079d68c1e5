import FlowCore
import Testing

@Suite("Run plan: matrix step run ids")
struct RunPlanMatrixTests {
    static func plan(_ dimensions: [Matrix.Dimension]) -> RunPlan {
        let step = Step(id: "t", action: .run(Located("true")), matrix: Matrix(dimensions: dimensions))
        let workflow = Workflow(name: "w", steps: [step])
        return RunPlan(workflow: workflow, graph: WorkflowGraph.build(workflow.steps).0)
    }

    // Expected by hand: the cartesian product, last dimension fastest, values joined by ",".
    // x × y = (a,b; c) (a,b; b,c) (a; c) (a; b,c) → the 1st and 4th both read "a,b,c".
    @Test("combinations that read alike still get distinct step run ids")
    func commaCollision() {
        let plan = Self.plan([
            Matrix.Dimension(name: "x", values: [.string("a,b"), .string("a")]),
            Matrix.Dimension(name: "y", values: [.string("c"), .string("b,c")]),
        ])
        #expect(plan.units.map(\.id.rawValue) == ["t[a,b,c]", "t[a,b,b,c]", "t[a,c]", "t[a,b,c]#2"])
        #expect(
            RunPlan.combinationIDs("t", Matrix(dimensions: [Matrix.Dimension(name: "x", values: [.string("a"), .string("a")])]))
                == ["t[a]", "t[a]"])
    }

    @Test("a repeated value gives each repetition its own id")
    func repeatedValue() {
        let plan = Self.plan([Matrix.Dimension(name: "x", values: [.string("a"), .string("a"), .string("a")])])
        #expect(plan.units.map(\.id.rawValue) == ["t[a]", "t[a]#2", "t[a]#3"])
    }
}
