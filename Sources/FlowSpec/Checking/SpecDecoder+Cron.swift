import FlowCore
import Yams

extension SpecDecoder {
    /// Checks a `cron:` expression with FlowCore's parser and reports its `CronError` at the
    /// exact character of the scalar.
    mutating func checkCron(_ text: String, at node: Node) {
        do throws(CronError) {
            _ = try CronExpression.parse(text)
        } catch {
            // CronError positions count Characters; our offsets count Unicode scalars.
            let characters = Array(text)
            let start = characters.prefix(error.position).reduce(0) { $0 + $1.unicodeScalars.count }
            let length = characters.dropFirst(error.position).prefix(error.length)
                .reduce(0) { $0 + $1.unicodeScalars.count }
            let what = error.field == "expression" ? "cron expression" : "cron \(error.field) field"
            report(.invalidCron, "invalid \(what): \(error.message)", at: node, offset: start, length: length)
        }
    }
}
