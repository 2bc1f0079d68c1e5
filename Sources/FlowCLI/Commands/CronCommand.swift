import ArgumentParser
import FlowCore
import Foundation

/// `flow cron next|explain`.
struct CronCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cron", abstract: "Compute and explain cron expressions (see docs/scheduling.md).",
        subcommands: [Next.self, Explain.self])

    struct Next: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "next", abstract: "Print the next fire times of a cron expression (ISO 8601 with offset).")

        @Argument(help: "A cron expression: 5 fields, 6 with leading seconds, or a macro such as @daily.") var expression: String
        @Option(help: "IANA time zone (default UTC).") var tz = "UTC"
        @Option(help: "Start after this instant (ISO 8601, e.g. 2026-03-08T00:00:00-05:00; default now).") var from: String?
        @Option(name: .short, help: "How many fire times.") var n = 5

        func run() async throws {
            let cron = try CronArguments.parse(expression)
            guard let zone = TimeZone(identifier: tz) else {
                throw CLIFailure(.usage, "error: unknown time zone '\(tz)'; expected an IANA name such as Asia/Seoul or UTC\n")
            }
            var start = Date()
            if let from {
                guard let date = CronArguments.parseDate(from) else {
                    throw CLIFailure(.usage, "error: --from '\(from)' is not an ISO 8601 date-time such as 2026-03-08T00:00:00Z\n")
                }
                start = date
            }
            let formatter = ISO8601DateFormatter()
            formatter.timeZone = zone
            formatter.formatOptions = cron.hasSeconds ? [.withInternetDateTime] : [.withInternetDateTime]
            var out = ""
            var t = start
            for _ in 0..<max(0, n) {
                guard let next = cron.next(after: t, in: zone) else { break }
                out += formatter.string(from: next) + "\n"
                t = next
            }
            Console().out(out)
        }
    }

    struct Explain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "explain", abstract: "Describe a cron expression in plain English.")
        @Argument(help: "A cron expression.") var expression: String

        func run() async throws {
            Console().out(try CronArguments.parse(expression).explanation + "\n")
        }
    }
}

enum CronArguments {
    /// Parses, or fails with the expression, a caret under the bad character and the message.
    static func parse(_ text: String) throws -> CronExpression {
        do {
            return try CronExpression.parse(text)
        } catch {
            let caret = String(repeating: " ", count: error.position) + String(repeating: "^", count: max(1, error.length))
            throw CLIFailure(.invalidInput, "error: invalid cron expression (\(error.field)): \(error.message)\n  \(text)\n  \(caret)\n")
        }
    }

    static func parseDate(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: text)
    }
}
