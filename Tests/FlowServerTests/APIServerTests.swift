import FlowCore
import FlowServer
import Foundation
import Testing

/// The HTTP surface over loopback: real requests to a real Hummingbird server on 127.0.0.1.
/// Expected bodies are written out by hand from docs/api.md.
@Suite("API server")
struct APIServerTests {
    @Test("/healthz answers ok")
    func health() async throws {
        try await ServerHarness.with { h in
            let a = try await h.request("GET", "/healthz")
            #expect(a.status == 200)
            #expect(a.text == #"{"status":"ok"}"#)
            #expect(a.headers["content-type"] == "application/json")
        }
    }

    @Test("/metrics is the Prometheus text format")
    func metrics() async throws {
        try await ServerHarness.with { h in
            let a = try await h.request("GET", "/metrics")
            #expect(a.status == 200)
            #expect(a.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
            #expect(a.text.hasSuffix("flow_runs_running 1\n"))
        }
    }

    @Test("workflows list their schedules, next fire times and diagnostics")
    func workflows() async throws {
        try await ServerHarness.with { h in
            let a = try await h.request("GET", "/api/v1/workflows")
            #expect(a.status == 200)
            let workflows = a.json["workflows"] as? [[String: Any]] ?? []
            #expect(workflows.count == 1)
            let w = workflows.first ?? [:]
            #expect(w["name"] as? String == "nightly")
            #expect(w["loaded"] as? Bool == true)
            #expect(w["loaded_at"] as? String == "2026-01-01T00:00:00.000Z")
            let schedule = (w["schedules"] as? [[String: Any]])?.first ?? [:]
            #expect(schedule["cron"] as? String == "0 0 * * *")
            #expect(schedule["next_fire"] as? String == "2026-01-02T00:00:00.000Z")
            let diagnostic = (w["diagnostics"] as? [[String: Any]])?.first ?? [:]
            #expect(diagnostic["code"] as? String == "unknown-key")
            #expect(diagnostic["line"] as? Int == 3)
        }
    }

    @Test("runs filter by status; an unknown status is a 400 in the one error shape")
    func runs() async throws {
        try await ServerHarness.with { h in
            let running = try await h.request("GET", "/api/v1/runs?workflow=nightly&status=running&limit=5")
            #expect(running.status == 200)
            let runs = running.json["runs"] as? [[String: Any]] ?? []
            #expect(runs.map { $0["id"] as? String } == ["20260101-000000-abcdef"])
            #expect(runs.first?["scheduled_for"] as? String == "2026-01-01T00:00:00.000Z")
            #expect(runs.first?["started_at"] as? String == "2026-01-01T00:00:00.250Z")
            #expect(runs.first.map { $0["finished_at"] is NSNull } == true)
            let failed = try await h.request("GET", "/api/v1/runs?status=failed")
            #expect((failed.json["runs"] as? [Any])?.isEmpty == true)
            let bad = try await h.request("GET", "/api/v1/runs?status=bogus")
            #expect(bad.status == 400)
            #expect(bad.errorCode == "bad-request")
            let badLimit = try await h.request("GET", "/api/v1/runs?limit=0")
            #expect(badLimit.status == 400 && badLimit.errorCode == "bad-request")
        }
    }

    @Test("one run carries its steps, each with its attempts")
    func run() async throws {
        try await ServerHarness.with { h in
            let a = try await h.request("GET", "/api/v1/runs/20260101-000000")
            #expect(a.status == 200)
            #expect((a.json["run"] as? [String: Any])?["status"] as? String == "running")
            let steps = a.json["steps"] as? [[String: Any]] ?? []
            #expect(steps.map { $0["id"] as? String } == ["build"])
            let attempts = steps.first?["attempts"] as? [[String: Any]] ?? []
            #expect(attempts.map { $0["attempt"] as? Int } == [1, 2])
            #expect(attempts.map { $0["pid"] as? Int } == [100, 101])
            let missing = try await h.request("GET", "/api/v1/runs/nope")
            #expect(missing.status == 404 && missing.errorCode == "not-found")
        }
    }

    @Test("unknown routes and methods are errors in the one JSON shape")
    func unknownRoute() async throws {
        try await ServerHarness.with { h in
            let a = try await h.request("GET", "/api/v1/nothing")
            #expect(a.status == 404)
            #expect(a.errorCode == "not-found", "\(a.text) \(a.headers)")
            #expect(a.headers["content-type"] == "application/json")
        }
    }

    @Test("mutating endpoints need the bearer token: 401 without it or with a wrong one")
    func unauthorized() async throws {
        try await ServerHarness.with { h in
            for token in [nil, "wrong", "s3cre", "s3cret2"] as [String?] {
                let a = try await h.request("POST", "/api/v1/workflows/nightly/runs", token: token, body: "{}")
                #expect(a.status == 401)
                #expect(a.errorCode == "unauthorized")
                #expect(a.headers["www-authenticate"]?.hasPrefix("Bearer") == true)
                let c = try await h.request("POST", "/api/v1/runs/20260101-000000-abcdef/cancel", token: token)
                #expect(c.status == 401 && c.errorCode == "unauthorized")
            }
            #expect(h.backend.triggered.isEmpty && h.backend.cancelled.isEmpty)
        }
    }

    @Test("without a configured token the mutating endpoints are off (403)")
    func noToken() async throws {
        try await ServerHarness.with(token: nil) { h in
            let a = try await h.request("POST", "/api/v1/workflows/nightly/runs", token: "anything", body: "{}")
            #expect(a.status == 403 && a.errorCode == "forbidden")
        }
    }

    @Test("trigger: 202 with the queued run and its location; params as text")
    func trigger() async throws {
        try await ServerHarness.with { h in
            let a = try await h.request(
                "POST", "/api/v1/workflows/nightly/runs", token: "s3cret", body: #"{"params": {"day": "friday", "n": 3, "dry": true}}"#)
            #expect(a.status == 202)
            #expect(a.headers["location"] == "/api/v1/runs/20260101-000001-queued")
            #expect((a.json["run"] as? [String: Any])?["status"] as? String == "queued")
            #expect(h.backend.triggered.first?.1 == ["day": "friday", "n": "3", "dry": "true"])
            let empty = try await h.request("POST", "/api/v1/workflows/nightly/runs", token: "s3cret")
            #expect(empty.status == 202)
            let unknown = try await h.request("POST", "/api/v1/workflows/other/runs", token: "s3cret", body: "{}")
            #expect(unknown.status == 404 && unknown.errorCode == "not-found")
        }
    }

    @Test(
        "a malformed body is a 400 in the one error shape", arguments: ["not json", "[1]", #"{"parms": {}}"#, #"{"params": {"a": [1]}}"#])
    func badBody(body: String) async throws {
        try await ServerHarness.with { h in
            let a = try await h.request("POST", "/api/v1/workflows/nightly/runs", token: "s3cret", body: body)
            #expect(a.status == 400)
            #expect(a.errorCode == "bad-request")
        }
    }

    @Test("cancel: 202 with what it did")
    func cancel() async throws {
        try await ServerHarness.with { h in
            let a = try await h.request("POST", "/api/v1/runs/20260101-000000-abcdef/cancel", token: "s3cret")
            #expect(a.status == 202)
            #expect(a.json["effect"] as? String == "cancelling")
            #expect(h.backend.cancelled == ["20260101-000000-abcdef"])
        }
    }

    @Test("logs are NDJSON; follow streams new lines until the run has finished")
    func logsFollow() async throws {
        try await ServerHarness.with { h in
            h.backend.appendLog("one")
            let plain = try await h.request("GET", "/api/v1/runs/20260101-000000-abcdef/logs")
            #expect(plain.headers["content-type"] == "application/x-ndjson")
            #expect(plain.text.split(separator: "\n").count == 1)
            #expect(plain.text.contains(#""text":"one""#))
            // Lines arrive while the follow request is open; the run then finishes.
            async let followed = h.request("GET", "/api/v1/runs/20260101-000000-abcdef/logs?follow=true")
            h.backend.appendLog("two")
            h.backend.appendLog("three", finish: true)
            let lines = try await followed.text.split(separator: "\n")
            #expect(lines.count == 3)
            #expect(lines.last?.contains(#""seq":3"#) == true)
            let after = try await h.request("GET", "/api/v1/runs/20260101-000000-abcdef/logs?after=2")
            #expect(after.text.split(separator: "\n").count == 1)
        }
    }
}

@Suite("Bearer token")
struct BearerTokenTests {
    let token = BearerToken("s3cret")!

    @Test(
        "accepts the token with the Bearer scheme in any case (RFC 6750 §2.1, RFC 7235 §2.1)",
        arguments: ["Bearer s3cret", "bearer s3cret", "BEARER s3cret", "Bearer  s3cret"])
    func accepts(header: String) {
        #expect(token.accepts(header: header))
    }

    @Test(
        "rejects anything else",
        arguments: [nil, "", "Bearer", "Bearer ", "Bearer s3cre", "Bearer s3cret2", "Basic s3cret", "s3cret", "Bearer S3CRET"] as [String?])
    func rejects(header: String?) {
        #expect(!token.accepts(header: header))
    }

    @Test("an empty token is refused")
    func empty() {
        #expect(BearerToken("") == nil)
    }
}
