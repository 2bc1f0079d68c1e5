import FlowEngine
import Foundation

/// The parts of trivy's JSON report (`--format json`, `SchemaVersion` 2) the scan step reads.
/// Field names as trivy writes them (pkg/types/report.go); missing arrays mean no findings.
struct TrivyReport: Decodable, Sendable {
    struct Result: Decodable, Sendable {
        var Target: String
        var Vulnerabilities: [Vulnerability]?
        var Misconfigurations: [Misconfiguration]?
        var Secrets: [Secret]?
    }

    struct Vulnerability: Decodable, Sendable {
        var VulnerabilityID: String
        var PkgName: String?
        var InstalledVersion: String?
        var FixedVersion: String?
        var Severity: String
        var Title: String?
    }

    struct Misconfiguration: Decodable, Sendable {
        var ID: String
        var AVDID: String?
        var Title: String?
        var Severity: String
        /// `FAIL`, `PASS` or `EXCEPTION`; only `FAIL` is a finding.
        var Status: String?
    }

    struct Secret: Decodable, Sendable {
        var RuleID: String
        var Category: String?
        var Severity: String
        var Title: String?
        var StartLine: Int?
    }

    var SchemaVersion: Int?
    var Results: [Result]?

    /// Parses a report.
    /// - Throws: `StepFailure` when `data` is not a trivy JSON report.
    init(json data: Data) throws(StepFailure) {
        do {
            self = try JSONDecoder().decode(TrivyReport.self, from: data)
        } catch {
            throw StepFailure("scan: trivy's report is not the JSON expected (\(error))")
        }
    }

    /// Every finding, in report order; misconfigurations only when their status is `FAIL`.
    var findings: [ScanFinding] {
        var out: [ScanFinding] = []
        for result in Results ?? [] {
            for v in result.Vulnerabilities ?? [] {
                let package = [v.PkgName, v.InstalledVersion].compactMap { $0 }.joined(separator: " ")
                let fix = v.FixedVersion.flatMap { $0.isEmpty ? nil : ", fixed in \($0)" } ?? ""
                out.append(
                    ScanFinding(
                        kind: .vulnerability, id: v.VulnerabilityID, severity: ScanSeverity(trivy: v.Severity),
                        target: result.Target, title: "\(package)\(fix)" + (v.Title.map { " — \($0)" } ?? "")))
            }
            for m in result.Misconfigurations ?? [] where (m.Status ?? "FAIL") == "FAIL" {
                out.append(
                    ScanFinding(
                        kind: .misconfiguration, id: m.ID, aliases: m.AVDID.map { [$0] } ?? [],
                        severity: ScanSeverity(trivy: m.Severity), target: result.Target, title: m.Title ?? ""))
            }
            for s in result.Secrets ?? [] {
                out.append(
                    ScanFinding(
                        kind: .secret, id: s.RuleID, severity: ScanSeverity(trivy: s.Severity), target: result.Target,
                        title: s.Title ?? s.Category ?? "", line: s.StartLine))
            }
        }
        return out
    }
}
