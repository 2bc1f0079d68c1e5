import FlowCore
import FlowEngine
import Foundation
import Testing

@testable import FlowSteps

@Suite("Scan reports, ignore lists and the severity gate")
struct ScanVerdictTests {
    /// Findings of trivy's report of a bad folder (Fixtures/make-trivy-fixture.sh), counted by
    /// the script's Python, not by us.
    @Test("trivy's JSON report gives the findings and counts Python counted")
    func report() throws {
        let expected = try DockerFixtures.expectedCounts()
        let findings = try TrivyReport(json: DockerFixtures.data("trivy-fs-bad.json")).findings
        #expect(findings.map(\.id) == expected.ids)
        let verdict = ScanVerdict(findings, rules: [], today: "2026-11-29", threshold: .high)
        for severity in ScanSeverity.allCases {
            #expect(verdict.counts[severity] == expected.counts[severity.name], "\(severity)")
        }
        #expect(!verdict.passed)
        #expect(verdict.blocking.map(\.id) == ["DS-0002", "aws-access-key-id", "aws-secret-access-key"])
        let secret = try #require(findings.first { $0.kind == .secret })
        #expect(secret.logLine == "CRITICAL secret aws-access-key-id app.env:1: AWS Access Key ID")
    }

    @Test("an ignore entry applies through its until date and not after; ids match case-insensitively and by AVD id")
    func expiry() throws {
        let findings = try TrivyReport(json: DockerFixtures.data("trivy-fs-bad.json")).findings
        let rules = try ScanIgnoreRule.list(
            .array([
                .object(["id": .string("ds-0002"), "until": .string("2027-01-31"), "reason": .string("base image")]),
                .string("aws-access-key-id"),
                .object(["id": .string("aws-secret-access-key"), "until": .string("2026-11-28")]),
            ]))
        let onTheDay = ScanVerdict(findings, rules: rules, today: "2027-01-31", threshold: .high)
        #expect(onTheDay.ignored.map(\.id) == ["DS-0002", "aws-access-key-id"])
        #expect(onTheDay.expired.map(\.id) == ["aws-secret-access-key"])
        #expect(onTheDay.blocking.map(\.id) == ["aws-secret-access-key"])
        let dayAfter = ScanVerdict(findings, rules: rules, today: "2027-02-01", threshold: .high)
        #expect(dayAfter.ignored.map(\.id) == ["aws-access-key-id"])
        #expect(dayAfter.counts[.high] == 1)
    }

    @Test(
        "the threshold decides",
        arguments: [
            (ScanSeverity.critical, 2), (.high, 3), (.medium, 3), (.low, 4),
        ])
    func threshold(_ threshold: ScanSeverity, blocking: Int) throws {
        let findings = try TrivyReport(json: DockerFixtures.data("trivy-fs-bad.json")).findings
        #expect(ScanVerdict(findings, rules: [], today: "2026-11-29", threshold: threshold).blocking.count == blocking)
        #expect(ScanVerdict(findings, rules: [], today: "2026-11-29", threshold: nil).passed)
    }

    @Test(
        "bad ignore entries are permanent errors",
        arguments: [
            (ExpressionValue.array([.object(["until": .string("2027-01-01")])]), "scan: ignore[0] needs an 'id'"),
            (
                .array([.object(["id": .string("X"), "until": .string("2027-02-30")])]),
                "scan: ignore[0].until must be a date written YYYY-MM-DD"
            ),
            (
                .array([.object(["id": .string("X"), "expires": .string("2027-02-01")])]),
                "scan: ignore[0] has an unknown key 'expires' (keys: id, until, reason)"
            ),
            (.object([:]), "scan: input 'ignore' must be a list of ids or {id, until, reason} maps"),
        ])
    func badIgnore(value: ExpressionValue, message: String) {
        do {
            _ = try ScanIgnoreRule.list(value)
            Issue.record("accepted \(value)")
        } catch {
            #expect(error.message == message)
            #expect(error.isPermanent)
        }
    }

    @Test("calendar dates follow the Gregorian leap rule")
    func dates() {
        #expect(ScanIgnoreRule.isCalendarDate("2024-02-29"))
        #expect(!ScanIgnoreRule.isCalendarDate("2100-02-29"))
        #expect(ScanIgnoreRule.isCalendarDate("2000-02-29"))
        #expect(!ScanIgnoreRule.isCalendarDate("2027-13-01"))
        #expect(!ScanIgnoreRule.isCalendarDate("27-01-01"))
    }

    @Test("ignored findings leave the report that SARIF is made from")
    func filtering() throws {
        let data = try DockerFixtures.data("trivy-fs-bad.json")
        let filtered = try ScanExecutor.removingIgnored(["AWS-ACCESS-KEY-ID", "DS-0026"], from: data)
        let ids = try TrivyReport(json: filtered).findings.map(\.id)
        #expect(ids == ["DS-0002", "aws-secret-access-key"])
    }

    @Test("trivy's offline database errors are recognised")
    func offline() {
        // trivy 0.76.0's messages without network (seen on this machine, see docs/steps/scan.md).
        #expect(
            ScanExecutor.isDatabaseUnavailable([
                "2026-11-29T17:27:48Z\tFATAL\tFatal error\trun error: init error: DB error: failed to download vulnerability DB: OCI artifact error"
            ]))
        #expect(
            ScanExecutor.isDatabaseUnavailable([
                "FATAL run error: init error: DB error: database error: --skip-db-update cannot be specified on the first run"
            ]))
        #expect(!ScanExecutor.isDatabaseUnavailable(["FATAL image not found"]))
    }

    @Test("image scans also look at the image configuration; skip_db_update skips every download")
    func arguments() {
        #expect(
            ScanExecutor.arguments(
                trivy: "trivy", mode: "image", target: "app:1", scanners: ["vuln", "secret", "misconfig"], output: "/o", cacheDir: "/c",
                skipUpdate: true) == [
                    "trivy", "image", "--format", "json", "--output", "/o", "--no-progress", "--scanners", "vuln,secret,misconfig",
                    "--image-config-scanners", "secret,misconfig", "--cache-dir", "/c", "--skip-check-update", "--skip-db-update",
                    "--skip-java-db-update", "app:1",
                ])
        #expect(
            ScanExecutor.arguments(
                trivy: "t", mode: "config", target: ".", scanners: ["misconfig"], output: "/o", cacheDir: nil, skipUpdate: false) == [
                    // trivy 0.76: `trivy config --no-progress` fails with "unknown flag".
                    "t", "config", "--format", "json", "--output", "/o", ".",
                ])
    }
}
