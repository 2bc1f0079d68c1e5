import Foundation
import Testing

@testable import FlowCore

/// The generated cases of Fixtures/CroniterCases.swift: next three fire times computed by
/// croniter 7.0.0, or — where croniter disagrees with cron(8) — by the generator's cron(8) model
/// (the row says why). See Benchmarks/cron/generate_croniter_cases.py.
@Suite("Cron fire times against croniter")
struct CroniterFixtureTests {
    struct Case: Sendable, CustomStringConvertible {
        var line: Int
        var expression: String
        var zone: String
        var start: String
        var expected: [String]
        var source: String
        var note: String
        var description: String { "line \(line): \(expression) in \(zone) after \(start)" }
    }

    static let cases: [Case] = CroniterCases.tsv.split(separator: "\n").enumerated().map { index, line in
        let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        return Case(
            line: index + 1, expression: columns[0], zone: columns[1], start: columns[2],
            expected: Array(columns[3...5]), source: columns[6], note: columns.count > 8 ? columns[8] : "")
    }

    static let zones = Array(Set(cases.map(\.zone))).sorted()

    @Test("the fixture has at least 2,000 cases over at least six zones")
    func fixtureSize() {
        #expect(Self.cases.count >= 2000)
        #expect(Self.zones.count >= 6)
        #expect(Self.cases.allSatisfy { $0.source == "croniter" || ($0.source == "cron8" && !$0.note.isEmpty) })
    }

    @Test("the next three fire times equal the reference, in every zone", arguments: zones)
    func nextThree(zoneID: String) throws {
        let tz = zone(zoneID)
        let parser = ISO8601DateFormatter()
        for item in Self.cases where item.zone == zoneID {
            let cron = try CronExpression.parse(item.expression)
            var cursor = instant(item.start, parser)
            for expected in item.expected {
                let want = instant(expected, parser)
                let got = cron.next(after: cursor, in: tz)
                #expect(got == want, "\(item): expected \(expected), got \(local(got, tz)) [\(item.source)]")
                guard got == want else { break }
                // The offset Foundation gives must be the one Python's zoneinfo gave ("+05:30").
                let sign = expected.dropLast(5).last == "-" ? -1 : 1
                let offset = sign * (Int(expected.suffix(5).prefix(2))! * 3600 + Int(expected.suffix(2))! * 60)
                #expect(tz.secondsFromGMT(for: want) == offset, "\(item): Foundation's offset at \(expected) differs")
                cursor = want
            }
        }
    }

    @Test("fireTimes returns the same times as repeated next")
    func fireTimesAgree() throws {
        let parser = ISO8601DateFormatter()
        for item in Self.cases {
            let cron = try CronExpression.parse(item.expression)
            let tz = zone(item.zone)
            let times = cron.fireTimes(after: instant(item.start, parser), through: instant(item.expected[2], parser), in: tz, limit: 10)
            #expect(times == item.expected.map { instant($0, parser) }, "\(item)")
        }
    }
}
