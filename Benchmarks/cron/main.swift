// Next-fire-time throughput of FlowCore's CronExpression on the cases in cases.tsv, per wall
// second and per CPU second of this process.
// Built by run.sh with `swiftc -O` against Sources/FlowCore/Cron/*.swift (no package target).
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

@main
struct CronBenchmark {
    struct Case {
        var expression: String
        var zone: TimeZone
        var start: Date
    }

    static func main() throws {
        let path = CommandLine.arguments.dropFirst().first ?? "Benchmarks/cron/cases.tsv"
        let cases = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            .filter { !$0.hasPrefix("#") }
            .map { line -> Case in
                let c = line.split(separator: "\t", omittingEmptySubsequences: false)
                return Case(expression: String(c[0]), zone: TimeZone(identifier: String(c[2]))!,
                            start: Date(timeIntervalSince1970: Double(c[3])!))
            }
        let parsed = try cases.map { try CronExpression.parse($0.expression) }

        // Same work as the croniter side: per case, parse, then the next three fire times.
        let withParse = measure(cases.count * 3) {
            var checksum = 0.0
            for c in cases {
                let cron = try! CronExpression.parse(c.expression)
                var cursor = c.start
                for _ in 0..<3 {
                    guard let next = cron.next(after: cursor, in: c.zone) else { break }
                    cursor = next
                }
                checksum += cursor.timeIntervalSince1970
            }
            return checksum
        }
        let nextOnly = measure(cases.count * 3) {
            var checksum = 0.0
            for (c, cron) in zip(cases, parsed) {
                var cursor = c.start
                for _ in 0..<3 {
                    guard let next = cron.next(after: cursor, in: c.zone) else { break }
                    cursor = next
                }
                checksum += cursor.timeIntervalSince1970
            }
            return checksum
        }
        print("swift    parse+next  \(withParse.wall) /s wall  \(withParse.cpu) /s CPU")
        print("swift    next only   \(nextOnly.wall) /s wall  \(nextOnly.cpu) /s CPU")
    }

    /// This process's CPU time (user + system) in seconds.
    static func cpuSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Runs `body` (which performs `work` computations) for at least two seconds of wall time;
    /// returns computations per wall second and per CPU second (the machine is shared).
    static func measure(_ work: Int, _ body: () -> Double) -> (wall: Int, cpu: Int) {
        var sink = body()  // warm-up
        let clock = ContinuousClock()
        var rounds = 0
        let start = clock.now
        let cpuStart = cpuSeconds()
        var elapsed = Duration.zero
        while elapsed < .seconds(2) {
            sink += body()
            rounds += 1
            elapsed = clock.now - start
        }
        let cpu = cpuSeconds() - cpuStart
        if sink == 42 { print("") }  // keeps the work observable
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return (Int(Double(work * rounds) / seconds), Int(Double(work * rounds) / cpu))
    }
}
