/// SplitMix64 (Steele, Lea, Flood, "Fast splittable pseudorandom number generators", OOPSLA
/// 2014; constants of Java's SplittableRandom), as Fixtures/topk_reference.py uses it, so that
/// test vectors need not be committed.
struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `(next() >> 40) / 2^24 · 2 − 1`: a float32-exact value in [−1, 1).
    mutating func nextValue() -> Float {
        Float(next() >> 40) / Float(1 << 24) * 2 - 1
    }

    static func values(seed: UInt64, count: Int) -> [Float] {
        var g = SplitMix64(state: seed)
        return (0..<count).map { _ in g.nextValue() }
    }
}
