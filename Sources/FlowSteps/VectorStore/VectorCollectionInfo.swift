/// A collection as a store describes it.
public struct VectorCollectionInfo: Sendable, Hashable {
    public var name: String
    /// Length of every vector in the collection.
    public var dimension: Int
    public var distance: VectorDistance
    /// How chunk text is tokenised for BM25 in this collection.
    public var textAnalysis: TextAnalysis
    /// Number of points (Qdrant reports an approximate count while indexing).
    public var pointCount: Int

    public init(name: String, dimension: Int, distance: VectorDistance, textAnalysis: TextAnalysis, pointCount: Int) {
        self.name = name
        self.dimension = dimension
        self.distance = distance
        self.textAnalysis = textAnalysis
        self.pointCount = pointCount
    }
}
