public import Foundation

/// Instants as stored: ISO 8601 UTC text with milliseconds, `2026-11-29T17:10:23.123Z`
/// (sorts as text in time order). Civil date from days since the epoch by Howard Hinnant's
/// `civil_from_days` algorithm.
public enum Timestamp {
    public static func format(_ date: Date) -> String {
        let totalMs = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let days = totalMs >= 0 ? totalMs / 86_400_000 : (totalMs - 86_399_999) / 86_400_000
        let msOfDay = totalMs - days * 86_400_000
        let (y, m, d) = civil(fromDays: days)
        // Digits written straight into 24 bytes: this runs once per recorded log line.
        return String(unsafeUninitializedCapacity: 24) { buffer in
            func put(_ value: Int64, _ width: Int, at offset: Int) {
                var v = value
                for i in stride(from: offset + width - 1, through: offset, by: -1) {
                    buffer[i] = UInt8(48 + v % 10)
                    v /= 10
                }
            }
            put(y, 4, at: 0)
            buffer[4] = 45  // -
            put(m, 2, at: 5)
            buffer[7] = 45
            put(d, 2, at: 8)
            buffer[10] = 84  // T
            put(msOfDay / 3_600_000, 2, at: 11)
            buffer[13] = 58  // :
            put((msOfDay / 60_000) % 60, 2, at: 14)
            buffer[16] = 58
            put((msOfDay / 1000) % 60, 2, at: 17)
            buffer[19] = 46  // .
            put(msOfDay % 1000, 3, at: 20)
            buffer[23] = 90  // Z
            return 24
        }
    }

    /// Parses the stored form (also without milliseconds); nil for anything else.
    public static func parse(_ text: String) -> Date? {
        let u = Array(text.utf8)
        guard u.count == 20 || u.count == 24, u.last == UInt8(ascii: "Z") else { return nil }
        func num(_ a: Int, _ b: Int) -> Int64? {
            var v: Int64 = 0
            for i in a..<b {
                guard u[i] >= 48, u[i] <= 57 else { return nil }
                v = v * 10 + Int64(u[i] - 48)
            }
            return v
        }
        guard let y = num(0, 4), let m = num(5, 7), let d = num(8, 10), let h = num(11, 13),
            let mi = num(14, 16), let s = num(17, 19)
        else { return nil }
        let ms = u.count == 24 ? (num(20, 23) ?? 0) : 0
        let days = days(fromCivil: y, m, d)
        let total = ((days * 24 + h) * 60 + mi) * 60 + s
        return Date(timeIntervalSince1970: Double(total) + Double(ms) / 1000)
    }

    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func days(fromCivil y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
