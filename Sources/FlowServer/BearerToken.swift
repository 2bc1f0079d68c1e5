/// The API token, and the check of an `Authorization` header against it.
///
/// The comparison visits every byte of the offered token whatever it holds, and folds a length
/// mismatch into the same result, so its time depends only on the offered token's length —
/// which the client already knows — not on where or whether it differs from the real one.
public struct BearerToken: Sendable {
    private let secret: [UInt8]

    /// - Parameter token: the secret, without surrounding whitespace; nil when empty.
    public init?(_ token: String) {
        guard !token.isEmpty else { return nil }
        secret = Array(token.utf8)
    }

    /// Whether `header` is `Bearer <token>` (scheme case-insensitive, RFC 6750 §2.1).
    public func accepts(header: String?) -> Bool {
        guard let header else { return false }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return false }
        let offered = Array(parts[1].trimmingCharacters(in: " \t").utf8)
        var difference: UInt8 = offered.count == secret.count ? 0 : 1
        for (i, byte) in offered.enumerated() {
            difference |= byte ^ secret[i % secret.count]
        }
        return difference == 0 && !offered.isEmpty
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> Substring {
        var s = self
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return s
    }
}
