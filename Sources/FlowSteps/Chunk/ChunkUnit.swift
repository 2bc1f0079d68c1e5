/// What `size` and `overlap` of the `chunk` kind count.
public enum ChunkUnit: String, Sendable, CaseIterable {
    /// Unicode scalars (Python's `len(str)`), not grapheme clusters or UTF-8 bytes.
    case characters
    /// Tokens of `WordTokenizer`: a simple, documented approximation of a model's tokens, not
    /// a model's own tokenizer.
    case tokens
}
