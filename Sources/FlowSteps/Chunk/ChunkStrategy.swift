/// How the `chunk` kind cuts a document.
public enum ChunkStrategy: String, Sendable, CaseIterable {
    /// Splits at the largest structure that fits: heading sections, then paragraphs, lines,
    /// sentences, words, and single characters or tokens as a last resort; merges neighbours
    /// up to `size` with up to `overlap` of shared whole pieces.
    case recursive
    /// Windows of exactly `size` units, each starting `size - overlap` units after the
    /// previous one, ignoring structure.
    case fixed
}
