/// Python's notion of whitespace, for tokenizers that must split exactly as Python's
/// `str.split()` and `str.rstrip()` do: the code points for which `str.isspace()` is true.
enum PythonText {
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029,
            0x202F, 0x205F, 0x3000:
            true
        default:
            false
        }
    }

    /// `str.split()` with no arguments: runs of whitespace separate, no empty parts.
    static func split(_ scalars: [Unicode.Scalar]) -> [String] {
        var tokens: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in scalars {
            if isSpace(scalar) {
                if !current.isEmpty {
                    tokens.append(String(current))
                    current = String.UnicodeScalarView()
                }
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { tokens.append(String(current)) }
        return tokens
    }

    /// `str.replace(old, new)`: every non-overlapping occurrence, left to right.
    static func replace(
        _ scalars: [Unicode.Scalar], _ old: String, _ new: String
    ) -> [Unicode.Scalar] {
        let pattern = Array(old.unicodeScalars)
        let replacement = Array(new.unicodeScalars)
        guard !pattern.isEmpty, scalars.count >= pattern.count else { return scalars }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(scalars.count)
        var index = 0
        while index < scalars.count {
            if index + pattern.count <= scalars.count,
                scalars[index] == pattern[0],
                scalars[index..<index + pattern.count].elementsEqual(pattern)
            {
                out.append(contentsOf: replacement)
                index += pattern.count
            } else {
                out.append(scalars[index])
                index += 1
            }
        }
        return out
    }
}
