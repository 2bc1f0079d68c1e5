/// One `schedule:` entry: a cron expression in an IANA time zone, with catchup and overlap
/// policies. A workflow may have several.
public struct ScheduleSpec: Sendable, Hashable {
    /// What to do about fire times missed while the daemon was down.
    public enum Catchup: String, Sendable, Hashable, CaseIterable {
        /// Skip them all; wait for the next fire time.
        case none
        /// One run for the most recent missed time.
        case latest
        /// One run per missed time, up to `catchupLimit`.
        case all
    }

    /// What to do when a fire time comes while the previous run is still going.
    public enum Overlap: String, Sendable, Hashable, CaseIterable {
        case skip
        case queue
        case cancelPrevious = "cancel-previous"
        case allow
    }

    public var cron: Located<String>
    /// IANA zone identifier; "UTC" by default.
    public var timezone: String
    public var paused: Bool
    public var catchup: Catchup
    public var catchupLimit: Int
    public var overlap: Overlap
    /// Largest random delay added to each fire time.
    public var jitter: Duration?
    public var location: SourceLocation?

    public init(
        cron: Located<String>, timezone: String = "UTC", paused: Bool = false,
        catchup: Catchup = .latest, catchupLimit: Int = 100, overlap: Overlap = .skip,
        jitter: Duration? = nil, location: SourceLocation? = nil
    ) {
        self.cron = cron
        self.timezone = timezone
        self.paused = paused
        self.catchup = catchup
        self.catchupLimit = catchupLimit
        self.overlap = overlap
        self.jitter = jitter
        self.location = location
    }
}
