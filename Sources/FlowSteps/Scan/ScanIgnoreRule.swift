import FlowCore
import FlowEngine

/// One entry of a scan step's `ignore:` list: a finding id, until when it is ignored, and why.
///
/// Written as a bare id (`CVE-2024-1234`, ignored for good) or a map
/// `{id: CVE-2024-1234, until: 2027-01-31, reason: "…"}`. `until` is a calendar date
/// (`YYYY-MM-DD`, UTC); the entry applies through the end of that day and is dropped, with a
/// warning, from the next day on.
struct ScanIgnoreRule: Sendable, Equatable {
    var id: String
    /// `YYYY-MM-DD`; nil for no expiry.
    var until: String?
    var reason: String?

    /// Whether the rule applies on `today` (`YYYY-MM-DD`, UTC). Dates of this form sort as
    /// text in time order, so the comparison is textual.
    func isActive(today: String) -> Bool {
        guard let until else { return true }
        return today <= until
    }

    /// Reads the `ignore:` input.
    /// - Throws: `StepFailure` (permanent) for an entry that is neither an id nor a map with
    ///   `id`, or an `until` that is not a valid `YYYY-MM-DD` date.
    static func list(_ value: ExpressionValue?) throws(StepFailure) -> [ScanIgnoreRule] {
        let items: [ExpressionValue]
        switch value {
        case nil, .null: return []
        case .array(let a): items = a
        case .string(let s): items = s.split(whereSeparator: { $0 == "," || $0 == "\n" }).map { .string(String($0)) }
        default: throw StepFailure("scan: input 'ignore' must be a list of ids or {id, until, reason} maps", permanent: true)
        }
        var rules: [ScanIgnoreRule] = []
        for (index, item) in items.enumerated() {
            switch item {
            case .string(let id):
                let trimmed = DockerStepInputs.trimmed(Substring(id))
                if !trimmed.isEmpty { rules.append(ScanIgnoreRule(id: trimmed)) }
            case .object(let fields):
                guard case .string(let id)? = fields["id"], !id.isEmpty else {
                    throw StepFailure("scan: ignore[\(index)] needs an 'id'", permanent: true)
                }
                if let unknown = fields.keys.first(where: { !["id", "until", "reason"].contains($0) }) {
                    throw StepFailure("scan: ignore[\(index)] has an unknown key '\(unknown)' (keys: id, until, reason)", permanent: true)
                }
                var until: String?
                switch fields["until"] {
                case nil, .null: until = nil
                case .string(let text) where isCalendarDate(text): until = text
                default:
                    throw StepFailure("scan: ignore[\(index)].until must be a date written YYYY-MM-DD", permanent: true)
                }
                rules.append(ScanIgnoreRule(id: id, until: until, reason: fields["reason"]?.stringValue))
            default:
                throw StepFailure("scan: ignore[\(index)] must be an id or a map {id, until, reason}", permanent: true)
            }
        }
        return rules
    }

    /// True for `YYYY-MM-DD` naming a real day of the proleptic Gregorian calendar.
    static func isCalendarDate(_ text: String) -> Bool {
        let u = Array(text.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return false }
        func number(_ range: Range<Int>) -> Int? {
            var v = 0
            for i in range {
                guard u[i] >= 48, u[i] <= 57 else { return nil }
                v = v * 10 + Int(u[i] - 48)
            }
            return v
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10), (1...12).contains(m), d >= 1 else { return false }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        return d <= days
    }
}
