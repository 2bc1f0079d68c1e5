// Benchmark driver for the Evaluate sources, compiled together with them by run.sh
// (`swiftc -O`), so no package target is needed. Prints one JSON object.
//
// Usage: evaluate-bench QRELS RUN REPEATS
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 4, let repeats = Int(arguments[3]), repeats > 0 else {
    FileHandle.standardError.write(Data("usage: evaluate-bench QRELS RUN REPEATS\n".utf8))
    exit(2)
}
let metrics: [RetrievalMetric] = [
    .map, .mrr, .precision(5), .precision(10), .recall(5), .recall(10), .recall(100), .ndcg(10),
]

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) * 1e-15
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

var parseTimes: [Double] = []
var evaluateTimes: [Double] = []
var result: RetrievalEvaluation.Result?
let clock = ContinuousClock()
for _ in 0..<repeats {
    do {
        var qrels = Qrels()
        var run = RetrievalRun()
        parseTimes.append(
            milliseconds(
                try clock.measure {
                    qrels = try Qrels(contentsOfTRECFile: arguments[1])
                    run = try RetrievalRun(contentsOfTRECFile: arguments[2])
                }))
        evaluateTimes.append(
            milliseconds(
                clock.measure {
                    result = RetrievalEvaluation.evaluate(qrels: qrels, run: run, metrics: metrics)
                }))
    } catch {
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        exit(1)
    }
}
let means = metrics.map { "\"\($0.trecName)\": \(result!.mean[$0]!)" }.joined(separator: ", ")
print(
    "{\"parse_ms\": \(median(parseTimes)), \"evaluate_ms\": \(median(evaluateTimes)), "
        + "\"queries\": \(result!.queryCount), \"means\": {\(means)}}")
