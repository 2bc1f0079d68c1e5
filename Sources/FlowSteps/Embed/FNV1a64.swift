/// The 64-bit FNV-1a hash (Fowler, Noll, Vo; IETF draft-eastlake-fnv, §2): start from the
/// offset basis 14695981039346656037, then for each byte XOR it in and multiply by the prime
/// 1099511628211 modulo 2^64. Published test values: "" → 0xcbf29ce484222325,
/// "a" → 0xaf63dc4c8601ec8c, "foobar" → 0x85944171f73967e8.
public enum FNV1a64 {
    public static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    public static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// The hash of `bytes`.
    @inlinable
    public static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        extend(offsetBasis, bytes)
    }

    /// Continues a hash `h` over more bytes: `extend(hash(a), b) == hash(a + b)`.
    @inlinable
    public static func extend(_ h: UInt64, _ bytes: some Sequence<UInt8>) -> UInt64 {
        var h = h
        for byte in bytes {
            h ^= UInt64(byte)
            h &*= prime
        }
        return h
    }

    /// The hash of `text`'s UTF-8 encoding.
    public static func hash(_ text: String) -> UInt64 {
        hash(text.utf8)
    }
}
