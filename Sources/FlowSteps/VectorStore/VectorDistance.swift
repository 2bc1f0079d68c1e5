/// How a collection compares vectors. Scores are "higher is closer" for both.
public enum VectorDistance: String, Sendable, Hashable, CaseIterable {
    /// Cosine similarity in [-1, 1]: vectors are L2-normalised when stored and queries when
    /// searched, so the score is their dot product.
    case cosine
    /// The raw dot product (vectors stored as given).
    case dot

    /// The name Qdrant's `Distance` schema uses (`Cosine`, `Dot`).
    var qdrantName: String {
        switch self {
        case .cosine: "Cosine"
        case .dot: "Dot"
        }
    }
}
