/// Which points of a collection a `delete` removes.
public enum PointSelector: Sendable, Hashable {
    /// The points with these ids.
    case ids([String])
    /// Every point of these documents.
    case documents([String])
    /// The points of these documents whose id is not in `keeping`: a re-ingested document's
    /// stale chunks.
    case documentsExcept([String], keeping: [String])
    /// Every point whose document is not one of these: documents removed from the source.
    case documentsNotIn([String])
}
