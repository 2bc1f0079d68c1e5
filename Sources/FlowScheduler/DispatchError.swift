/// Why a fire time could not be recorded as a run. The scheduler logs it and decides by the
/// code whether to try the same fire time again.
public struct DispatchError: Error, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A run for this schedule and fire time exists already (the unique index on runs said
        /// so: another daemon, or a restart between recording and saving the watermark). The
        /// fire time counts as handled.
        public static let conflict = Code(rawValue: "conflict")
        /// The workflow cannot make a run (its file no longer loads and no earlier version does,
        /// a secret is missing…). Trying again would fail the same way; the fire time counts as
        /// handled.
        public static let invalid = Code(rawValue: "invalid")
        /// The database could not be written. The fire time is tried again.
        public static let unavailable = Code(rawValue: "unavailable")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
