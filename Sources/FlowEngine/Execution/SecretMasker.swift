/// Replaces every occurrence of a secret's value with `***` in log lines and outputs, before
/// anything is recorded or printed. Values shorter than 3 bytes are not masked (they would
/// mask ordinary text); longer values are masked longest first.
///
/// A multi-line secret is masked whole and line by line, as GitHub Actions' runner does
/// (`SecretMasker.AddValue` registers each line of a value): logs arrive one line at a time,
/// so the whole value never appears in one of them. Each non-empty line, less one trailing
/// `\r`, is a value of its own (subject to the same 3-byte minimum).
public struct SecretMasker: Sendable {
    private let values: [[UInt8]]

    public init(secrets: some Sequence<String>) {
        var all: Set<[UInt8]> = []
        for secret in secrets {
            let bytes = Array(secret.utf8)
            all.insert(bytes)
            for var line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
                if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
                all.insert(Array(line))
            }
        }
        values = all.filter { $0.count >= 3 }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.lexicographicallyPrecedes($1) }
    }

    public var isEmpty: Bool { values.isEmpty }

    /// `bytes` with each secret occurrence replaced by `***`.
    public func mask(_ bytes: [UInt8]) -> [UInt8] {
        guard !values.isEmpty, !bytes.isEmpty else { return bytes }
        var out: [UInt8] = []
        var i = 0
        var changed = false
        outer: while i < bytes.count {
            for v in values where v.count <= bytes.count - i && bytes[i] == v[0] {
                var match = true
                for k in 1..<v.count where bytes[i + k] != v[k] {
                    match = false
                    break
                }
                if match {
                    if !changed {
                        out.reserveCapacity(bytes.count)
                        out.append(contentsOf: bytes[0..<i])
                        changed = true
                    }
                    out.append(contentsOf: [42, 42, 42])
                    i += v.count
                    continue outer
                }
            }
            if changed { out.append(bytes[i]) }
            i += 1
        }
        return changed ? out : bytes
    }

    public func mask(_ text: String) -> String {
        guard !values.isEmpty else { return text }
        return String(decoding: mask(Array(text.utf8)), as: UTF8.self)
    }
}
