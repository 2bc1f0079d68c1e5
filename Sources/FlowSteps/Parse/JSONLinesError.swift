/// A line of a JSON Lines file that is not a valid record.
struct JSONLinesError: Error, CustomStringConvertible {
    var path: String
    /// 1-based.
    var line: Int
    var reason: String

    var description: String { "\(path):\(line): \(reason)" }
}
