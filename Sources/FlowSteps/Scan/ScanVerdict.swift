/// The gate of a scan: findings after the ignore list, counted by severity, against the
/// threshold.
struct ScanVerdict: Sendable, Equatable {
    /// Findings still counted (not ignored), in report order.
    var findings: [ScanFinding]
    /// Findings an active ignore rule removed.
    var ignored: [ScanFinding]
    /// Rules past their `until` date (they ignore nothing).
    var expired: [ScanIgnoreRule]
    /// Counted findings per severity; every severity present (zero when none).
    var counts: [ScanSeverity: Int]
    /// The lowest severity that fails the gate; nil for `fail_on: never`.
    var threshold: ScanSeverity?

    /// Applies `rules` (as of `today`, `YYYY-MM-DD` UTC) to `all` and counts.
    init(_ all: [ScanFinding], rules: [ScanIgnoreRule], today: String, threshold: ScanSeverity?) {
        let active = rules.filter { $0.isActive(today: today) }
        expired = rules.filter { !$0.isActive(today: today) }
        var kept: [ScanFinding] = []
        var dropped: [ScanFinding] = []
        for finding in all {
            if active.contains(where: { finding.answers(to: $0.id) }) {
                dropped.append(finding)
            } else {
                kept.append(finding)
            }
        }
        findings = kept
        ignored = dropped
        counts = Dictionary(uniqueKeysWithValues: ScanSeverity.allCases.map { s in (s, kept.count { $0.severity == s }) })
        self.threshold = threshold
    }

    /// The counted findings at or above the threshold.
    var blocking: [ScanFinding] {
        guard let threshold else { return [] }
        return findings.filter { $0.severity >= threshold }
    }

    var passed: Bool { blocking.isEmpty }
}
