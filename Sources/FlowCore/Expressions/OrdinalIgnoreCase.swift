/// String comparison that ignores case the way GitHub's expression engine does: .NET's
/// `StringComparison.OrdinalIgnoreCase` (each character mapped to its simple upper case, then
/// compared by UTF-16 code unit), with the dotless `ı` (U+0131) left unmapped as GitHub's
/// reference implementation does (actions/languageservices `toUpperSpecial`).
///
/// Characters whose upper case is more than one character (`ß` → `SS`) are left as they are, as
/// .NET's simple case mapping does. ASCII-only strings take a byte-wise fast path.
enum OrdinalIgnoreCase {
    /// Whether `a` and `b` are equal ignoring case.
    static func equals(_ a: String, _ b: String) -> Bool {
        var ai = a.utf8.makeIterator()
        var bi = b.utf8.makeIterator()
        while true {
            switch (ai.next(), bi.next()) {
            case (nil, nil):
                return true
            case (let x?, let y?):
                if x >= 0x80 || y >= 0x80 { return compare(a, b) == 0 }
                if asciiUpper(x) != asciiUpper(y) { return false }
            default:
                return false
            }
        }
    }

    /// -1, 0 or 1 as `a` sorts before, equal to or after `b` ignoring case.
    static func compare(_ a: String, _ b: String) -> Int {
        var ai = a.unicodeScalars.makeIterator()
        var bi = b.unicodeScalars.makeIterator()
        while true {
            switch (ai.next(), bi.next()) {
            case (nil, nil):
                return 0
            case (nil, _):
                return -1
            case (_, nil):
                return 1
            case (let x?, let y?):
                let kx = sortKey(x)
                let ky = sortKey(y)
                if kx != ky { return kx < ky ? -1 : 1 }
            }
        }
    }

    /// Whether `haystack` contains `needle` ignoring case (an empty needle is contained).
    static func contains(_ haystack: String, _ needle: String) -> Bool {
        let h = folded(haystack)
        let n = folded(needle)
        if n.isEmpty { return true }
        if n.count > h.count { return false }
        var start = 0
        while start + n.count <= h.count {
            var k = 0
            while k < n.count, h[start + k] == n[k] { k += 1 }
            if k == n.count { return true }
            start += 1
        }
        return false
    }

    /// Whether `string` starts with `prefix` ignoring case.
    static func hasPrefix(_ string: String, _ prefix: String) -> Bool {
        let s = folded(string)
        let p = folded(prefix)
        return p.count <= s.count && s[0..<p.count].elementsEqual(p)
    }

    /// Whether `string` ends with `suffix` ignoring case.
    static func hasSuffix(_ string: String, _ suffix: String) -> Bool {
        let s = folded(string)
        let p = folded(suffix)
        return p.count <= s.count && s[(s.count - p.count)...].elementsEqual(p)
    }

    /// The scalar values of `string`, each mapped to its simple upper case.
    static func folded(_ string: String) -> [UInt32] {
        var result: [UInt32] = []
        result.reserveCapacity(string.utf8.count)
        for scalar in string.unicodeScalars { result.append(fold(scalar)) }
        return result
    }

    /// The simple upper case of `scalar` (itself when there is none, or it is several characters,
    /// or it is U+0131).
    static func fold(_ scalar: Unicode.Scalar) -> UInt32 {
        let v = scalar.value
        if v < 0x80 { return (v >= 0x61 && v <= 0x7A) ? v - 0x20 : v }
        if v == 0x131 { return v }
        let upper = scalar.properties.uppercaseMapping.unicodeScalars
        if upper.count == 1, let first = upper.first { return first.value }
        return v
    }

    /// A key that orders folded scalars as their UTF-16 encodings order (the order .NET compares
    /// in): U+E000–U+FFFF sort after supplementary characters, whose lead surrogates are D800–DBFF.
    private static func sortKey(_ scalar: Unicode.Scalar) -> UInt32 {
        let v = fold(scalar)
        return (v >= 0xE000 && v <= 0xFFFF) ? v + 0x20_0000 : v
    }

    private static func asciiUpper(_ byte: UInt8) -> UInt8 {
        (byte >= 0x61 && byte <= 0x7A) ? byte - 0x20 : byte
    }
}
