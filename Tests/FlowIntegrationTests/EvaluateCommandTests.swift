import Foundation
import Testing

/// `flow evaluate` against pytrec_eval's values (the metric fixtures of FlowStepsTests,
/// produced by Tests/FlowStepsTests/Evaluate/Fixtures/generate.py).
@Suite("flow evaluate")
struct EvaluateCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("FlowStepsTests/Evaluate/Fixtures/trec").path

    static let measures = [
        "map", "recip_rank", "P_1", "P_3", "P_5", "P_10", "recall_1", "recall_3", "recall_5", "recall_10", "recall_100",
        "ndcg_cut_1", "ndcg_cut_3", "ndcg_cut_5", "ndcg_cut_10", "ndcg_cut_20",
    ]

    @Test("-q prints every query's lines and the means exactly as trec_eval formats pytrec_eval's values")
    func perQueryReport() throws {
        let project = try FlowProject()
        let result = try project.run(
            ["evaluate", "--qrels", Self.fixtures + "/small.qrels", "--run", Self.fixtures + "/graded.run", "-q", "--metrics"]
                + Self.measures.reversed())
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == (try String(contentsOfFile: Self.fixtures + "/expected/graded.report.txt", encoding: .utf8)))
    }

    @Test("means on a run missing a judged query equal pytrec_eval's to the printed precision, with and without -c")
    func cranfieldMeans() throws {
        struct Expected: Decodable {
            var mean: [String: Double]
            var mean_complete: [String: Double]
        }
        let expected = try JSONDecoder().decode(
            Expected.self, from: Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/expected/missing.json")))
        let project = try FlowProject()
        for (flags, means) in [([String](), expected.mean), (["-c"], expected.mean_complete)] {
            let result = try project.run(
                [
                    "evaluate", "--qrels", Self.fixtures + "/small.qrels", "--run", Self.fixtures + "/missing.run", "--metrics",
                    "map,recip_rank,P_5,ndcg_cut_10",
                ] + flags)
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stdout.split(separator: "\n").map { $0.split(separator: "\t") }
            #expect(lines.map { $0[0].trimmingCharacters(in: .whitespaces) } == ["map", "recip_rank", "P_5", "ndcg_cut_10"])
            for fields in lines {
                let name = fields[0].trimmingCharacters(in: .whitespaces)
                #expect(fields[1] == "all")
                #expect(String(fields[2]) == String(format: "%6.4f", means[name]!), "\(name) \(flags)")
            }
        }
    }

    @Test("an unknown measure is a usage error; a missing file is not found; a malformed line names file and line")
    func errors() throws {
        let project = try FlowProject()
        let unknown = try project.run(
            ["evaluate", "--qrels", Self.fixtures + "/small.qrels", "--run", Self.fixtures + "/graded.run", "--metrics", "bpref"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("unknown metric 'bpref'"))
        let missing = try project.run(["evaluate", "--qrels", "nope.qrels", "--run", Self.fixtures + "/graded.run"])
        #expect(missing.status == 66)
        try project.write("bad.run", "q1 Q0 d1 1\n")
        let bad = try project.run(["evaluate", "--qrels", Self.fixtures + "/small.qrels", "--run", "bad.run"])
        #expect(bad.status == 65)
        #expect(bad.stderr.hasPrefix("bad.run:1: error: "))
    }
}
