/// The random delay added to a fire time when a schedule has `jitter`.
///
/// The delay is a pure function of a seed (drawn once per daemon from its injected random
/// source), the schedule and the fire time, so re-planning before the delayed instant never
/// draws again and moves it. Uniform in `[0, maximum)` to millisecond resolution, from the
/// SplitMix64 finaliser (Steele, Lea, Flood: "Fast splittable pseudorandom number generators",
/// OOPSLA 2014) over an FNV-1a hash of the schedule key and the fire time.
public struct Jitter: Sendable, Hashable {
    public var seed: UInt64

    public init(seed: UInt64) {
        self.seed = seed
    }

    /// The delay for `schedule`'s fire at `fireTime` (whole seconds since 1970), in
    /// `[0, maximum)`; zero when `maximum` is nil or not positive.
    public func delay(for schedule: ScheduleID, fireTime: Int64, maximum: Duration?) -> Duration {
        guard let maximum, maximum > .zero else { return .zero }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in schedule.workflow.rawValue.utf8 + [0] + schedule.key.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        let mixed = Self.splitMix(seed ^ hash ^ Self.splitMix(UInt64(bitPattern: fireTime)))
        let fraction = Double(mixed >> 11) / Double(UInt64(1) << 53)
        let (seconds, attoseconds) = maximum.components
        let maximumMilliseconds = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        return .milliseconds(Int64((fraction * maximumMilliseconds).rounded(.down)))
    }

    static func splitMix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
