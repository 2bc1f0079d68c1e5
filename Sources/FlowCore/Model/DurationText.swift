/// Durations as workflows write them: a sequence of `<number><unit>` with units `ms`, `s`,
/// `m`, `h`, `d` (`"30s"`, `"5m"`, `"1h30m"`, `"1.5s"`). A bare number is rejected: units are
/// always written.
public enum DurationText {
    /// The duration `text` denotes, or nil when it is not of the form above or is negative.
    public static func parse(_ text: String) -> Duration? {
        let scalars = Array(text.trimmingSpaces.unicodeScalars)
        guard !scalars.isEmpty else { return nil }
        var total: Duration = .zero
        var index = 0
        while index < scalars.count {
            var number = ""
            while index < scalars.count, scalars[index].properties.numericType != nil || scalars[index] == "." {
                guard scalars[index].isASCII else { return nil }
                number.unicodeScalars.append(scalars[index])
                index += 1
            }
            var unit = ""
            while index < scalars.count, ("a"..."z").contains(scalars[index]) {
                unit.unicodeScalars.append(scalars[index])
                index += 1
            }
            guard let value = Double(number), value >= 0, value.isFinite else { return nil }
            let millis: Double
            switch unit {
            case "ms": millis = 1
            case "s": millis = 1_000
            case "m": millis = 60_000
            case "h": millis = 3_600_000
            case "d": millis = 86_400_000
            default: return nil
            }
            total += .milliseconds(Int64((value * millis).rounded()))
        }
        return total
    }

    /// A short form such as `1h30m`, `2.5s`, `150ms` (the inverse of `parse` up to rounding).
    public static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let ms = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        if ms < 1000 { return "\(ms)ms" }
        if ms < 60_000 {
            let tenths = ms / 100
            return tenths % 10 == 0 ? "\(tenths / 10)s" : "\(tenths / 10).\(tenths % 10)s"
        }
        let totalSeconds = ms / 1000
        let h = totalSeconds / 3600, m = (totalSeconds % 3600) / 60, s = totalSeconds % 60
        var out = ""
        if h > 0 { out += "\(h)h" }
        if m > 0 { out += "\(m)m" }
        if s > 0 { out += "\(s)s" }
        return out
    }
}

extension String {
    var trimmingSpaces: Substring {
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return s
    }
}
