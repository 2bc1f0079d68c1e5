import Foundation
import Testing

@testable import FlowCore

/// Rejected expressions: the field, 0-based character position and length are counted by hand
/// from the text (the column under the offending characters).
@Suite("Cron expression errors")
struct CronErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var field: String
        var position: Int
        var length: Int
        var code: CronError.Code
        var testDescription: String { "'\(text)'" }
    }

    static let cases: [Case] = [
        Case(text: "60 * * * *", field: "minute", position: 0, length: 2, code: .outOfRange),
        Case(text: "* * 0 * *", field: "day-of-month", position: 4, length: 1, code: .outOfRange),
        Case(text: "*/0 * * * *", field: "minute", position: 2, length: 1, code: .invalidStep),
        Case(text: "5-2 * * * *", field: "minute", position: 0, length: 3, code: .reversedRange),
        Case(text: "* * * * * * *", field: "expression", position: 12, length: 1, code: .fieldCount),
        Case(text: "0 0 * * * 2025 x", field: "expression", position: 15, length: 1, code: .fieldCount),
        // Six fields: the first is seconds, so 2025 lands in day-of-week.
        Case(text: "0 0 * * * 2025", field: "day-of-week", position: 10, length: 4, code: .outOfRange),
        Case(text: "* * * *", field: "expression", position: 7, length: 0, code: .fieldCount),
        Case(text: "", field: "expression", position: 0, length: 0, code: .fieldCount),
        Case(text: "   ", field: "expression", position: 3, length: 0, code: .fieldCount),
        Case(text: "  60 * * * *", field: "minute", position: 2, length: 2, code: .outOfRange),
        Case(text: "*\t24 * * *", field: "hour", position: 2, length: 2, code: .outOfRange),
        Case(text: "* * 32 * *", field: "day-of-month", position: 4, length: 2, code: .outOfRange),
        Case(text: "* * * 13 *", field: "month", position: 6, length: 2, code: .outOfRange),
        Case(text: "* * * 0 *", field: "month", position: 6, length: 1, code: .outOfRange),
        Case(text: "* * * * 8", field: "day-of-week", position: 8, length: 1, code: .outOfRange),
        Case(text: "60 * * * * *", field: "second", position: 0, length: 2, code: .outOfRange),
        Case(text: "1-60 * * * *", field: "minute", position: 2, length: 2, code: .outOfRange),
        Case(text: "99999999999 * * * *", field: "minute", position: 0, length: 11, code: .outOfRange),
        Case(text: "* * * FOO *", field: "month", position: 6, length: 3, code: .unknownName),
        Case(text: "* * * jan-foo *", field: "month", position: 10, length: 3, code: .unknownName),
        Case(text: "* * * JANUARY *", field: "month", position: 6, length: 7, code: .unknownName),
        Case(text: "* * * * MONDAY", field: "day-of-week", position: 8, length: 6, code: .unknownName),
        Case(text: "* * * * JAN", field: "day-of-week", position: 8, length: 3, code: .unknownName),
        Case(text: "a * * * *", field: "minute", position: 0, length: 1, code: .unknownName),
        Case(text: "* * * * 7-2", field: "day-of-week", position: 8, length: 3, code: .reversedRange),
        Case(text: "* * * DEC-JAN *", field: "month", position: 6, length: 7, code: .reversedRange),
        Case(text: "*/61 * * * *", field: "minute", position: 2, length: 2, code: .invalidStep),
        Case(text: "* */25 * * *", field: "hour", position: 4, length: 2, code: .invalidStep),
        Case(text: "0/0 * * * *", field: "minute", position: 2, length: 1, code: .invalidStep),
        Case(text: "*/ * * * *", field: "minute", position: 2, length: 0, code: .invalidStep),
        Case(text: "1-10/x * * * *", field: "minute", position: 5, length: 1, code: .invalidStep),
        Case(text: "* * * * 7/2", field: "day-of-week", position: 8, length: 1, code: .outOfRange),
        Case(text: "1,,2 * * * *", field: "minute", position: 2, length: 0, code: .unexpectedCharacter),
        Case(text: "1, * * * *", field: "minute", position: 2, length: 0, code: .unexpectedCharacter),
        Case(text: "1- * * * *", field: "minute", position: 2, length: 0, code: .unexpectedCharacter),
        Case(text: "% * * * *", field: "minute", position: 0, length: 1, code: .unexpectedCharacter),
        Case(text: "*-5 * * * *", field: "minute", position: 1, length: 1, code: .unexpectedCharacter),
        Case(text: "* * 15W-20 * *", field: "day-of-month", position: 7, length: 1, code: .unexpectedCharacter),
        Case(text: "? * * * *", field: "minute", position: 0, length: 1, code: .misplaced),
        Case(text: "* * 1,? * *", field: "day-of-month", position: 6, length: 1, code: .misplaced),
        Case(text: "* * * * L", field: "day-of-week", position: 8, length: 1, code: .misplaced),
        Case(text: "L * * * *", field: "minute", position: 0, length: 1, code: .misplaced),
        Case(text: "* * 5L * *", field: "day-of-month", position: 5, length: 1, code: .misplaced),
        Case(text: "* * 1-5W * *", field: "day-of-month", position: 7, length: 1, code: .misplaced),
        Case(text: "* * * * 1-5L", field: "day-of-week", position: 11, length: 1, code: .misplaced),
        Case(text: "* * * * */2#1", field: "day-of-week", position: 11, length: 1, code: .misplaced),
        Case(text: "* * 1#2 * *", field: "day-of-month", position: 5, length: 1, code: .misplaced),
        Case(text: "* * * * 1#6", field: "day-of-week", position: 10, length: 1, code: .outOfRange),
        Case(text: "* * * * 1#0", field: "day-of-week", position: 10, length: 1, code: .outOfRange),
        Case(text: "* * L-31 * *", field: "day-of-month", position: 6, length: 2, code: .outOfRange),
        Case(text: "* * LX * *", field: "day-of-month", position: 5, length: 1, code: .unexpectedCharacter),
        Case(text: "@reboot", field: "expression", position: 0, length: 7, code: .unknownMacro),
        Case(text: "@every 5m", field: "expression", position: 0, length: 6, code: .unknownMacro),
        Case(text: "@daily 5", field: "expression", position: 7, length: 1, code: .fieldCount),
    ]

    @Test("invalid expressions name the field, position and length", arguments: cases)
    func rejected(_ item: Case) {
        #expect {
            _ = try CronExpression.parse(item.text)
        } throws: { error in
            guard let error = error as? CronError else { return false }
            let ok =
                error.field == item.field && error.position == item.position && error.length == item.length
                && error.code == item.code
            if !ok { Issue.record("got \(error.code) \(error.field) \(error.position)+\(error.length): \(error.message)") }
            return ok
        }
    }

    @Test("messages say what was expected", arguments: cases)
    func messages(_ item: Case) {
        do {
            _ = try CronExpression.parse(item.text)
            Issue.record("accepted")
        } catch {
            #expect(error.message.contains("expected"))
            #expect(error.description == "\(error.field) at position \(error.position): \(error.message)")
        }
    }

    @Test("the common mistakes read well")
    func wording() throws {
        func message(_ text: String) -> String {
            do {
                _ = try CronExpression.parse(text)
                return ""
            } catch {
                return error.message
            }
        }
        #expect(message("60 * * * *") == "60 is out of range; expected a minute 0–59")
        #expect(message("* * 0 * *") == "0 is out of range; expected a day of month 1–31")
        #expect(message("*/0 * * * *") == "step 0 is out of range; expected a step 1–60")
        #expect(message("5-2 * * * *") == "range 5-2 runs backwards; expected the start to be at most the end")
        #expect(message("* * * * * * *").hasPrefix("found 7 fields; expected 5 fields (minute hour day-of-month month day-of-week) or 6"))
    }

    @Test(
        "an expression that can never fire is valid but has no next time",
        arguments: [
            "0 0 30 2 *", "0 0 31 4,6,9,11 *", "0 0 31 FEB ?",
        ])
    func neverFires(_ text: String) throws {
        let cron = try CronExpression.parse(text)
        #expect(cron.next(after: instant("2025-01-01T00:00:00Z"), in: zone("UTC")) == nil)
        #expect(cron.fireTimes(after: instant("2025-01-01T00:00:00Z"), through: .distantFuture, in: zone("UTC"), limit: 5).isEmpty)
    }
}
