/// One line of a JSONL file given to `parse`: a document already split out (for example a
/// test collection converted by a script). `id` may be a string or a number.
struct JSONLDocument: Decodable {
    var id: String?
    var title: String?
    var text: String
    var url: String?
    var contentType: String?

    enum CodingKeys: String, CodingKey {
        case id, title, text, url
        case contentType = "content_type"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let s = try? c.decodeIfPresent(String.self, forKey: .id) {
            id = s
        } else if let n = try? c.decodeIfPresent(Int.self, forKey: .id) {
            id = String(n)
        } else {
            id = nil
        }
        title = try c.decodeIfPresent(String.self, forKey: .title)
        text = try c.decode(String.self, forKey: .text)
        url = try c.decodeIfPresent(String.self, forKey: .url)
        contentType = try c.decodeIfPresent(String.self, forKey: .contentType)
    }
}
