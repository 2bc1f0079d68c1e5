public import FlowCore
public import Foundation

extension RunID {
    /// A new id for a run starting at `date`: `YYYYMMDD-HHMMSS-xxxxxx` (UTC, six random
    /// base-36 characters: 2.2 billion values, so ids made in the same second by several
    /// processes do not collide in practice; the primary key rejects a collision outright).
    public static func make(at date: Date) -> RunID {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ v: Int?) -> String {
            let s = String(v ?? 0)
            return s.count < 2 ? "0" + s : s
        }
        let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz")
        var random = SystemRandomNumberGenerator()
        let suffix = String((0..<6).map { _ in alphabet[Int(random.next(upperBound: UInt64(36)))] })
        return RunID("\(c.year ?? 0)\(two(c.month))\(two(c.day))-\(two(c.hour))\(two(c.minute))\(two(c.second))-\(suffix)")
    }
}
