import FlowCore
import Foundation

/// The JSON bodies of `/api/v1` (docs/openapi.yaml): snake_case keys, instants as ISO 8601 UTC
/// with milliseconds (`2026-11-29T17:10:23.123Z`), absent values as `null`. Domain types are
/// mapped here, at the edge, so that renaming a Swift property never changes the API.
enum APIBody {
    struct ErrorEnvelope: Encodable {
        struct Inner: Encodable {
            var code: String
            var message: String
        }
        var error: Inner
    }

    struct RunJSON: Encodable {
        var id: String
        var workflow: String
        var workflow_file: String?
        var trigger: String
        var status: String
        var params: [String: String]
        var scheduled_for: Date?
        var schedule_key: String?
        var retry_of: String?
        var reason: String?
        var host: String?
        var pid: Int32?
        var created_at: Date
        var started_at: Date?
        var finished_at: Date?

        init(_ r: Run) {
            id = r.id.rawValue
            workflow = r.workflow.rawValue
            workflow_file = r.workflowFile
            trigger = r.trigger.rawValue
            status = r.status.rawValue
            params = r.params
            scheduled_for = r.scheduledFor
            schedule_key = r.scheduleKey
            retry_of = r.retryOf?.rawValue
            reason = r.reason
            host = r.host
            pid = r.pid
            created_at = r.createdAt
            started_at = r.startedAt
            finished_at = r.finishedAt
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(id, forKey: .id)
            try c.encode(workflow, forKey: .workflow)
            try c.encode(workflow_file, forKey: .workflow_file)
            try c.encode(trigger, forKey: .trigger)
            try c.encode(status, forKey: .status)
            try c.encode(params, forKey: .params)
            try c.encode(scheduled_for, forKey: .scheduled_for)
            try c.encode(schedule_key, forKey: .schedule_key)
            try c.encode(retry_of, forKey: .retry_of)
            try c.encode(reason, forKey: .reason)
            try c.encode(host, forKey: .host)
            try c.encode(pid, forKey: .pid)
            try c.encode(created_at, forKey: .created_at)
            try c.encode(started_at, forKey: .started_at)
            try c.encode(finished_at, forKey: .finished_at)
        }

        enum Key: String, CodingKey {
            case id, workflow, workflow_file, trigger, status, params, scheduled_for, schedule_key, retry_of, reason,
                host, pid, created_at, started_at, finished_at
        }
    }

    struct AttemptJSON: Encodable {
        var attempt: Int
        var status: String
        var exit_code: Int32?
        var signal: Int32?
        var pid: Int32?
        var reason: String?
        var started_at: Date
        var finished_at: Date?

        init(_ a: Attempt) {
            attempt = a.number
            status = a.status.rawValue
            exit_code = a.exitCode
            signal = a.signal
            pid = a.pid
            reason = a.reason
            started_at = a.startedAt
            finished_at = a.finishedAt
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(attempt, forKey: .attempt)
            try c.encode(status, forKey: .status)
            try c.encode(exit_code, forKey: .exit_code)
            try c.encode(signal, forKey: .signal)
            try c.encode(pid, forKey: .pid)
            try c.encode(reason, forKey: .reason)
            try c.encode(started_at, forKey: .started_at)
            try c.encode(finished_at, forKey: .finished_at)
        }

        enum Key: String, CodingKey {
            case attempt, status, exit_code, signal, pid, reason, started_at, finished_at
        }
    }

    struct StepJSON: Encodable {
        var id: String
        var status: String
        var attempts: [AttemptJSON]
        var exit_code: Int32?
        var signal: Int32?
        var reason: String?
        var reused_from: String?
        var started_at: Date?
        var finished_at: Date?
        var outputs: [String: String]

        init(_ s: StepRun, attempts: [Attempt]) {
            id = s.stepID.rawValue
            status = s.status.rawValue
            self.attempts = attempts.map(AttemptJSON.init)
            exit_code = s.exitCode
            signal = s.signal
            reason = s.reason
            reused_from = s.reusedFrom?.rawValue
            started_at = s.startedAt
            finished_at = s.finishedAt
            outputs = s.outputs
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(id, forKey: .id)
            try c.encode(status, forKey: .status)
            try c.encode(attempts, forKey: .attempts)
            try c.encode(exit_code, forKey: .exit_code)
            try c.encode(signal, forKey: .signal)
            try c.encode(reason, forKey: .reason)
            try c.encode(reused_from, forKey: .reused_from)
            try c.encode(started_at, forKey: .started_at)
            try c.encode(finished_at, forKey: .finished_at)
            try c.encode(outputs, forKey: .outputs)
        }

        enum Key: String, CodingKey {
            case id, status, attempts, exit_code, signal, reason, reused_from, started_at, finished_at, outputs
        }
    }

    struct RunDetailJSON: Encodable {
        var run: RunJSON
        var steps: [StepJSON]

        init(_ d: RunDetail) {
            run = RunJSON(d.run)
            var byStep: [StepID: [Attempt]] = [:]
            for a in d.attempts { byStep[a.stepID, default: []].append(a) }
            steps = d.steps.map { StepJSON($0, attempts: byStep[$0.stepID] ?? []) }
        }
    }

    struct LogLineJSON: Encodable {
        var seq: Int64
        var step: String
        var attempt: Int
        var stream: String
        var time: Date
        var text: String
        var continued: Bool

        init(_ l: LogLine) {
            seq = l.sequence
            step = l.stepID.rawValue
            attempt = l.attempt
            stream = l.stream.rawValue
            time = l.time
            text = l.text
            continued = l.continued
        }
    }

    struct DiagnosticJSON: Encodable {
        var severity: String
        var code: String
        var message: String
        var file: String?
        var line: Int?
        var column: Int?
        var hint: String?

        init(_ d: Diagnostic) {
            severity = d.severity.rawValue
            code = d.code.rawValue
            message = d.message
            file = d.location?.file
            line = d.location?.line
            column = d.location?.column
            hint = d.hint
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(severity, forKey: .severity)
            try c.encode(code, forKey: .code)
            try c.encode(message, forKey: .message)
            try c.encode(file, forKey: .file)
            try c.encode(line, forKey: .line)
            try c.encode(column, forKey: .column)
            try c.encode(hint, forKey: .hint)
        }

        enum Key: String, CodingKey {
            case severity, code, message, file, line, column, hint
        }
    }

    struct ScheduleJSON: Encodable {
        var cron: String
        var timezone: String
        var paused: Bool
        var catchup: String
        var overlap: String
        var next_fire: Date?

        init(_ s: WorkflowSummary.ScheduleInfo) {
            cron = s.cron
            timezone = s.timezone
            paused = s.paused
            catchup = s.catchup
            overlap = s.overlap
            next_fire = s.nextFire
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(cron, forKey: .cron)
            try c.encode(timezone, forKey: .timezone)
            try c.encode(paused, forKey: .paused)
            try c.encode(catchup, forKey: .catchup)
            try c.encode(overlap, forKey: .overlap)
            try c.encode(next_fire, forKey: .next_fire)
        }

        enum Key: String, CodingKey {
            case cron, timezone, paused, catchup, overlap, next_fire
        }
    }

    struct WorkflowJSON: Encodable {
        var name: String
        var file: String
        var description: String?
        var loaded: Bool
        var loaded_at: Date?
        var schedules: [ScheduleJSON]
        var diagnostics: [DiagnosticJSON]

        init(_ w: WorkflowSummary) {
            name = w.name.rawValue
            file = w.file
            description = w.description
            loaded = w.loaded
            loaded_at = w.loadedAt
            schedules = w.schedules.map(ScheduleJSON.init)
            diagnostics = w.diagnostics.map(DiagnosticJSON.init)
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(name, forKey: .name)
            try c.encode(file, forKey: .file)
            try c.encode(description, forKey: .description)
            try c.encode(loaded, forKey: .loaded)
            try c.encode(loaded_at, forKey: .loaded_at)
            try c.encode(schedules, forKey: .schedules)
            try c.encode(diagnostics, forKey: .diagnostics)
        }

        enum Key: String, CodingKey {
            case name, file, description, loaded, loaded_at, schedules, diagnostics
        }
    }

    struct WorkflowsJSON: Encodable {
        var workflows: [WorkflowJSON]
    }

    struct RunsJSON: Encodable {
        var runs: [RunJSON]
    }

    struct RunEnvelope: Encodable {
        var run: RunJSON
    }

    struct CancelJSON: Encodable {
        var run: RunJSON
        var effect: String
    }

    struct HealthJSON: Encodable {
        var status: String
    }

    /// Encodes `value` as compact JSON with sorted keys.
    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
        }
        return (try? Array(encoder.encode(value))) ?? Array(#"{"error":{"code":"internal","message":"cannot encode"}}"#.utf8)
    }
}
