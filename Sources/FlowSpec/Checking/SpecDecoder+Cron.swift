import FlowCore
import Yams

extension SpecDecoder {
    /// Checks a `cron:` expression's syntax. A hook until FlowCore's `CronExpression` parser
    /// lands; then its `CronError` is reported at the exact character.
    mutating func checkCron(_ text: String, at node: Node) {
        if text.allSatisfy(\.isWhitespace) {
            report(.invalidCron, "'cron' is empty; give an expression such as '0 3 * * *'", at: node)
        }
    }
}
