/// One line of `removed.jsonl`.
struct RemovedPage: Codable {
    var url: String
}
