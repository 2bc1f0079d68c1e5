/// Trivy's severity levels, ordered: `unknown < low < medium < high < critical`.
enum ScanSeverity: Int, Sendable, Comparable, CaseIterable {
    case unknown, low, medium, high, critical

    /// Reads trivy's upper-case names; anything else is `.unknown`.
    init(trivy text: String) {
        switch text.uppercased() {
        case "LOW": self = .low
        case "MEDIUM": self = .medium
        case "HIGH": self = .high
        case "CRITICAL": self = .critical
        default: self = .unknown
        }
    }

    /// The lower-case name, as used in inputs and outputs.
    var name: String {
        switch self {
        case .unknown: "unknown"
        case .low: "low"
        case .medium: "medium"
        case .high: "high"
        case .critical: "critical"
        }
    }

    static func < (a: ScanSeverity, b: ScanSeverity) -> Bool { a.rawValue < b.rawValue }
}
