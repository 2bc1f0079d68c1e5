/// What `chunk` records about a chunk's place in its document.
public struct ChunkMetadata: Sendable, Hashable, Codable {
    /// The headings the chunk starts under, outermost first (`["json — …", "Basic Usage"]`).
    public var headingPath: [String]
    /// The chunk's length in the step's `unit`.
    public var length: Int
    public var unit: String

    public init(headingPath: [String], length: Int, unit: String) {
        self.headingPath = headingPath
        self.length = length
        self.unit = unit
    }

    enum CodingKeys: String, CodingKey {
        case headingPath = "heading_path"
        case length, unit
    }
}
