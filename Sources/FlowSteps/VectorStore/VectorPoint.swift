public import FlowCore

/// One point of a collection: a chunk's vector with what retrieval returns for it.
public struct VectorPoint: Sendable, Hashable {
    /// The chunk's id, unique within a collection (any string).
    public var id: String
    /// The document the chunk came from: re-ingesting or removing a document replaces or
    /// deletes all points carrying its id.
    public var documentID: String
    /// `dimension` floats (the collection's); for `cosine` collections it need not be
    /// normalised (the store normalises it).
    public var vector: [Float]
    /// The chunk text, indexed for BM25 (`searchText`).
    public var text: String
    /// Anything else to keep with the point (offsets, title, url, metadata); JSON values.
    public var payload: [String: ExpressionValue]

    public init(id: String, documentID: String, vector: [Float], text: String, payload: [String: ExpressionValue] = [:]) {
        self.id = id
        self.documentID = documentID
        self.vector = vector
        self.text = text
        self.payload = payload
    }
}
