public import FlowCore
public import FlowEngine
import FlowStore
import Foundation

/// `uses: scan` — runs `trivy image|fs|config` with JSON output, counts findings by severity
/// after an ignore list with expiry dates, writes the report and a SARIF file for GitHub code
/// scanning, and fails when a finding reaches the threshold. Without the vulnerability
/// database (offline) it fails clearly, or — with `skip_vulnerabilities_offline: true` — scans
/// secrets and misconfigurations only, with a warning. See `docs/steps/scan.md`.
public struct ScanExecutor: StepExecutor {
    public var spec: StepKindSpec { Self.kindSpec }
    private let runner: ProcessRunner
    private let today: @Sendable () -> String

    /// - Parameter runner: runs trivy.
    public init(runner: ProcessRunner = ProcessRunner()) {
        self.init(runner: runner, today: { String(Timestamp.format(Date()).prefix(10)) })
    }

    /// - Parameter today: the current UTC date as `YYYY-MM-DD`, for ignore expiry.
    init(runner: ProcessRunner, today: @escaping @Sendable () -> String) {
        self.runner = runner
        self.today = today
    }

    static let scanners = ["vuln", "secret", "misconfig"]
    static let thresholds = ["critical", "high", "medium", "low", "never"]

    public static let kindSpec = StepKindSpec(
        name: "scan",
        summary: "Scan an image, a folder or config files with trivy; gate on severity; write SARIF.",
        inputs: [
            .init("mode", .oneOf(["image", "fs", "config"]), required: true, "What to scan: an image, a folder, or IaC/config files."),
            .init("target", .string, required: true, "The image reference, or the folder (relative to the working directory)."),
            .init(
                "scanners", .list(.oneOf(scanners)), default: .array(scanners.map { .string($0) }),
                "Scanners for image and fs: vuln, secret, misconfig (config mode always scans misconfigurations)."),
            .init("fail_on", .oneOf(thresholds), default: .string("high"), "The lowest severity that fails the step; never: report only."),
            .init("ignore", .list(.any), "Finding ids to ignore: CVE-…, DS-…, secret rule ids; or {id, until: YYYY-MM-DD, reason}."),
            .init(
                "skip_vulnerabilities_offline", .bool, default: .bool(false),
                "When the vulnerability database cannot be downloaded, scan secrets and misconfigurations only (with a warning) instead of failing."
            ),
            .init(
                "skip_db_update", .bool, default: .bool(false),
                "Use the cached databases and checks as they are (an offline cache prepared beforehand)."),
            .init("cache_dir", .string, "trivy's cache folder (databases, checks)."),
            .init("report", .string, "Where to write the JSON report (ignored findings removed); default <workspace>/<step>.trivy.json."),
            .init("sarif", .string, "Where to write the SARIF report; default <workspace>/<step>.sarif."),
            .init("trivy", .string, default: .string("trivy"), "The trivy binary."),
        ],
        outputs: [
            .init("critical", "Findings of severity CRITICAL (after the ignore list)."),
            .init("high", "Findings of severity HIGH."),
            .init("medium", "Findings of severity MEDIUM."),
            .init("low", "Findings of severity LOW."),
            .init("unknown", "Findings of unknown severity."),
            .init("total", "All counted findings."),
            .init("ignored", "Findings the ignore list removed."),
            .init("passed", "true when no finding reached fail_on."),
            .init("vulnerabilities", "scanned, skipped (offline) or off (not among the scanners)."),
            .init("report", "Path of the JSON report."),
            .init("sarif", "Path of the SARIF report."),
        ])

    public func execute(_ invocation: StepInvocation) async throws -> [String: String] {
        let inputs = DockerStepInputs(invocation.inputs, kind: "scan")
        let mode = try inputs.choice("mode", ["image", "fs", "config"], default: "")
        guard !mode.isEmpty else { throw StepFailure("scan: input 'mode' is required", permanent: true) }
        let target = try inputs.requiredString("target")
        var scanners = try inputs.list("scanners")
        if scanners.isEmpty, invocation.inputs["scanners"] == nil { scanners = Self.scanners }
        if let unknown = scanners.first(where: { !Self.scanners.contains($0) }) {
            throw StepFailure("scan: unknown scanner '\(unknown)' (scanners: vuln, secret, misconfig)", permanent: true)
        }
        if mode == "config" { scanners = ["misconfig"] }
        let failOn = try inputs.choice("fail_on", Self.thresholds, default: "high")
        let threshold = ScanSeverity.allCases.first { $0.name == failOn }
        let rules = try ScanIgnoreRule.list(invocation.inputs["ignore"])
        let skipOffline = try inputs.bool("skip_vulnerabilities_offline", default: false)
        let skipUpdate = try inputs.bool("skip_db_update", default: false)
        let cacheDir = try inputs.string("cache_dir")
        let trivy = try inputs.string("trivy") ?? "trivy"
        let safe = invocation.stepID.rawValue.map { $0.isLetter || $0.isNumber || $0 == "-" ? String($0) : "_" }.joined()
        let reportPath = Self.absolute(
            try inputs.string("report") ?? invocation.workspace + "/\(safe).trivy.json", in: invocation.workingDirectory)
        let sarifPath = Self.absolute(
            try inputs.string("sarif") ?? invocation.workspace + "/\(safe).sarif", in: invocation.workingDirectory)

        let scratch = try DockerScratch.make(in: invocation, kind: "scan")
        defer { scratch.remove() }
        let tool = ToolProcess(
            runner: runner, environment: invocation.environment, workingDirectory: invocation.workingDirectory,
            log: invocation.log, timeout: nil)
        let raw = scratch.path("raw.json")

        var vulnerabilities = scanners.contains("vuln") ? "scanned" : "off"
        var output = try await tool.run(
            Self.arguments(
                trivy: trivy, mode: mode, target: target, scanners: scanners, output: raw, cacheDir: cacheDir, skipUpdate: skipUpdate))
        if !output.succeeded, scanners.contains("vuln"), Self.isDatabaseUnavailable(output.stderrTail) {
            guard skipOffline else {
                throw StepFailure(
                    "scan: trivy cannot get its vulnerability database (offline?): \(output.reason). "
                        + "Set skip_vulnerabilities_offline: true to scan secrets and misconfigurations only, "
                        + "or provide a database in cache_dir with skip_db_update: true")
            }
            invocation.log.write(
                "warning: the vulnerability database is unavailable (offline); vulnerabilities are NOT scanned — secrets and misconfigurations only"
            )
            vulnerabilities = "skipped"
            scanners.removeAll { $0 == "vuln" }
            if scanners.isEmpty {
                throw StepFailure("scan: only the vulnerability scanner was asked for, and its database is unavailable (offline)")
            }
            output = try await tool.run(
                Self.arguments(
                    trivy: trivy, mode: mode, target: target, scanners: scanners, output: raw, cacheDir: cacheDir, skipUpdate: true))
        }
        guard output.succeeded else { throw StepFailure("scan: trivy \(mode) \(target) failed (\(output.reason))") }
        guard let data = FileManager.default.contents(atPath: raw) else {
            throw StepFailure("scan: trivy wrote no report")
        }

        let report = try TrivyReport(json: data)
        let verdict = ScanVerdict(report.findings, rules: rules, today: today(), threshold: threshold)
        for rule in verdict.expired {
            invocation.log.write("warning: ignore entry \(rule.id) expired on \(rule.until ?? "?"); it no longer applies")
        }
        for finding in verdict.findings.prefix(500) { invocation.log.write(finding.logLine) }
        if verdict.findings.count > 500 { invocation.log.write("… and \(verdict.findings.count - 500) more findings (see \(reportPath))") }
        for finding in verdict.ignored { invocation.log.write("ignored: " + finding.logLine) }

        let activeIDs = rules.filter { $0.isActive(today: today()) }.map(\.id)
        do {
            try FileManager.default.createDirectory(
                atPath: (reportPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(
                atPath: (sarifPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Self.removingIgnored(activeIDs, from: data).write(to: URL(fileURLWithPath: reportPath))
        } catch {
            throw StepFailure("scan: cannot write \(reportPath): \(error.localizedDescription)")
        }
        let convert = try await tool.run([trivy, "convert", "--format", "sarif", "--output", sarifPath, reportPath])
        guard convert.succeeded else { throw StepFailure("scan: writing SARIF failed (\(convert.reason))") }

        let c = verdict.counts
        let summary =
            "\(c[.critical]!) critical, \(c[.high]!) high, \(c[.medium]!) medium, \(c[.low]!) low, \(c[.unknown]!) unknown"
            + (verdict.ignored.isEmpty ? "" : "; \(verdict.ignored.count) ignored")
        invocation.log.write("scan: \(summary); vulnerabilities \(vulnerabilities); report \(reportPath); SARIF \(sarifPath)")
        guard verdict.passed else {
            let first = verdict.blocking[0]
            throw StepFailure(
                "scan: \(verdict.blocking.count) finding(s) at or above \(failOn.uppercased()) (\(summary)); first: \(first.kind.rawValue) \(first.id) in \(first.target)"
            )
        }
        return [
            "critical": String(c[.critical]!), "high": String(c[.high]!), "medium": String(c[.medium]!),
            "low": String(c[.low]!), "unknown": String(c[.unknown]!), "total": String(verdict.findings.count),
            "ignored": String(verdict.ignored.count), "passed": "true", "vulnerabilities": vulnerabilities,
            "report": reportPath, "sarif": sarifPath,
        ]
    }

    /// The trivy command line. For images, secrets and misconfigurations are also looked for
    /// in the image configuration (`--image-config-scanners`: the history that rebuilds the
    /// Dockerfile, environment variables).
    static func arguments(
        trivy: String, mode: String, target: String, scanners: [String], output: String, cacheDir: String?, skipUpdate: Bool
    ) -> [String] {
        var a = [trivy, mode, "--format", "json", "--output", output]
        // `trivy config` has neither --no-progress nor --scanners (trivy 0.76).
        if mode != "config" { a += ["--no-progress", "--scanners", scanners.joined(separator: ",")] }
        let configScanners = scanners.filter { $0 == "misconfig" || $0 == "secret" }
        if mode == "image", !configScanners.isEmpty { a += ["--image-config-scanners", configScanners.joined(separator: ",")] }
        if let cacheDir { a += ["--cache-dir", cacheDir] }
        if skipUpdate {
            a.append("--skip-check-update")
            if scanners.contains("vuln") { a += ["--skip-db-update", "--skip-java-db-update"] }
        }
        a.append(target)
        return a
    }

    /// Whether trivy's last error lines say its vulnerability database could not be had
    /// ("failed to download vulnerability DB", "--skip-db-update cannot be specified on the
    /// first run", both under "DB error").
    static func isDatabaseUnavailable(_ stderr: [String]) -> Bool {
        stderr.contains { $0.contains("DB error") || $0.contains("vulnerability DB") }
    }

    /// trivy's JSON report without the findings `ids` name (vulnerability ids, check ids and AVD
    /// ids, secret rule ids; case-insensitive), so the SARIF made from it shows what counts.
    /// - Throws: when `data` is not a JSON object.
    static func removingIgnored(_ ids: [String], from data: Data) throws -> Data {
        let lowered = Set(ids.map { $0.lowercased() })
        guard !lowered.isEmpty, var root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let results = root["Results"] as? [[String: Any]]
        else { return data }
        root["Results"] = results.map { result in
            var result = result
            for (key, idKeys) in [
                ("Vulnerabilities", ["VulnerabilityID"]), ("Misconfigurations", ["ID", "AVDID"]), ("Secrets", ["RuleID"]),
            ] {
                guard let items = result[key] as? [[String: Any]] else { continue }
                let kept = items.filter { item in
                    !idKeys.contains { (item[$0] as? String).map { lowered.contains($0.lowercased()) } ?? false }
                }
                result[key] = kept.isEmpty ? nil : kept
            }
            return result
        }
        return try JSONSerialization.data(withJSONObject: root, options: [.sortedKeys])
    }

    static func absolute(_ path: String, in folder: String) -> String {
        path.hasPrefix("/") ? path : folder + "/" + path
    }
}
