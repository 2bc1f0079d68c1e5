/// Why a cron expression was rejected, and where: the field, the 0-based character position in
/// the expression text as given (leading spaces count), the length of the offending text, and
/// a message that says what was expected.
///
/// Positions count `Character`s; for the ASCII text cron expressions are made of that is the
/// byte offset. `length` is 0 when something is missing (for example a sixth field), and then
/// `position` is where it should have been.
public struct CronError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable identifier of the kind of problem; tools match on it, nobody parses `message`.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// Fewer than 5 or more than 6 fields, or an empty expression.
        public static let fieldCount = Code(rawValue: "cron-field-count")
        /// `@something` that is not one of the supported macros.
        public static let unknownMacro = Code(rawValue: "cron-unknown-macro")
        /// A number outside the field's range (`60` minutes, day-of-month `0`, `1#6`, `L-31`).
        public static let outOfRange = Code(rawValue: "cron-out-of-range")
        /// A range whose start is after its end (`5-2`).
        public static let reversedRange = Code(rawValue: "cron-reversed-range")
        /// A step of 0, or larger than the field's span, or missing after `/`.
        public static let invalidStep = Code(rawValue: "cron-invalid-step")
        /// Letters that are no month or weekday name (`JANUARY`, `MOM`), or names in a numeric field.
        public static let unknownName = Code(rawValue: "cron-unknown-name")
        /// `?`, `L`, `W` or `#` where the field or the item does not allow it.
        public static let misplaced = Code(rawValue: "cron-misplaced")
        /// A character that cannot start or continue an item, or an empty list item.
        public static let unexpectedCharacter = Code(rawValue: "cron-unexpected-character")
    }

    /// `second`, `minute`, `hour`, `day-of-month`, `month`, `day-of-week`, or `expression` when
    /// the problem is not inside one field (field count, macros).
    public var field: String
    /// 0-based `Character` offset into the expression text.
    public var position: Int
    /// Number of `Character`s the problem spans; 0 for something missing.
    public var length: Int
    /// What is wrong and what is expected, e.g. "60 is out of range; expected a minute 0–59".
    public var message: String
    public var code: Code

    public init(code: Code, field: String, position: Int, length: Int, message: String) {
        self.code = code
        self.field = field
        self.position = position
        self.length = length
        self.message = message
    }

    /// `<field> at position <n>: <message>`, e.g. `minute at position 0: 60 is out of range; …`.
    public var description: String { "\(field) at position \(position): \(message)" }
}
