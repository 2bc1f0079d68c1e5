import FlowCore

/// A deterministic text form of a `Workflow` (every field, dictionaries sorted), so tests can
/// compare a loaded workflow with one built by hand and show a readable difference. Model
/// types are not `Equatable`; locations are left out (they are tested separately).
enum WorkflowDump {
    static func text(_ w: Workflow) -> String {
        var lines: [String] = []
        lines.append("name: \(w.name)")
        lines.append("description: \(w.description ?? "-")")
        lines.append("file: \(w.file ?? "-")")
        for p in w.params {
            lines.append(
                "param \(p.name): \(p.type) required=\(p.required) default=\(value(p.defaultValue)) "
                    + "enum=\(p.allowed.map { $0.map(value).joined(separator: ",") } ?? "-") description=\(p.description ?? "-")")
        }
        for e in w.env { lines.append("env \(e.name)=\(e.value.value)") }
        for s in w.secrets { lines.append("secret \(s.name): \(s.source) required=\(s.required)") }
        lines.append(
            "defaults: timeout=\(duration(w.defaults.timeout)) retry=\(retry(w.defaults.retry)) "
                + "shell=\(w.defaults.shell ?? "-") wd=\(w.defaults.workingDirectory ?? "-")")
        lines.append("concurrency: \(w.concurrency.map(String.init) ?? "-")")
        for s in w.schedules {
            lines.append(
                "schedule \(s.cron.value) tz=\(s.timezone) paused=\(s.paused) catchup=\(s.catchup) "
                    + "limit=\(s.catchupLimit) overlap=\(s.overlap.rawValue) jitter=\(duration(s.jitter))")
        }
        for step in w.steps {
            lines.append("step \(step.id)")
            switch step.action {
            case .run(let script): lines.append("  run: \(script.value.debugDescription)")
            case .uses(let kind, let with):
                lines.append("  uses: \(kind.value)")
                for key in with.keys.sorted() { lines.append("  with \(key)=\(value(with[key])))") }
            }
            lines.append("  needs: \(step.needs.map(\.value.rawValue).joined(separator: ","))")
            lines.append("  if: \(step.condition?.value ?? "-")")
            for e in step.env { lines.append("  env \(e.name)=\(e.value.value)") }
            lines.append(
                "  wd=\(step.workingDirectory ?? "-") shell=\(step.shell ?? "-") timeout=\(duration(step.timeout)) "
                    + "retry=\(retry(step.retry)) continue-on-error=\(step.continueOnError)")
            for key in step.outputs.keys.sorted() { lines.append("  output \(key)=\(step.outputs[key]!.value)") }
            if let m = step.matrix {
                for d in m.dimensions { lines.append("  matrix \(d.name)=\(d.values.map(value).joined(separator: ","))") }
                for i in m.include { lines.append("  include \(object(i))") }
                for e in m.exclude { lines.append("  exclude \(object(e))") }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func value(_ v: ExpressionValue?) -> String {
        guard let v else { return "-" }
        switch v {
        case .null: return "null"
        case .bool(let b): return "\(b)"
        case .number(let d): return "\(d)"
        case .string(let s): return s.debugDescription
        case .array(let a): return "[" + a.map(value).joined(separator: ",") + "]"
        case .object(let o): return object(o)
        }
    }

    static func object(_ o: [String: ExpressionValue]) -> String {
        "{" + o.keys.sorted().map { "\($0):\(value(o[$0]))" }.joined(separator: ",") + "}"
    }

    static func duration(_ d: Duration?) -> String {
        guard let d else { return "-" }
        let (s, atto) = d.components
        return "\(s * 1000 + atto / 1_000_000_000_000_000)ms"
    }

    static func retry(_ r: RetryPolicy?) -> String {
        guard let r else { return "-" }
        return "\(r.attempts)x\(r.backoff.rawValue)/\(duration(r.delay))/max\(duration(r.maxDelay))"
    }
}
