import FlowCore
import FlowScheduler
import FlowServer
import Foundation
import Prometheus
import Synchronization

/// The daemon's metrics (docs/api.md, "Metrics"), kept in a Prometheus registry of its own and
/// exposed in the text format by `GET /metrics`. Counters and histograms are updated as things
/// happen; the gauges are refreshed from the scheduler's snapshot at each scrape.
final class DaemonMetrics: MetricsSource, Sendable {
    let registry: PrometheusCollectorRegistry
    private let snapshot: Mutex<(@Sendable () -> SchedulerSnapshot)?>
    private let nextFireGauges = Mutex<[ScheduleID: Gauge]>([:])
    private let running: Gauge
    private let queued: Gauge
    private let reloadErrors: Counter

    static var runs: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "flow", metricName: "runs", unitName: "total", helpText: "Runs finished, by workflow and final status.")
    }
    static var stepDuration: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "flow", metricName: "step_duration", unitName: "seconds",
            helpText: "Duration of step runs from the start of the first attempt to the end of the last.")
    }
    static var lag: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "flow", metricName: "scheduler_lag", unitName: "seconds",
            helpText: "Start of a scheduled run minus its scheduled_for time (includes jitter and waiting for a slot).")
    }
    static var nextFire: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "flow", metricName: "next_fire_timestamp", unitName: "seconds",
            helpText: "Next fire time of each schedule, in seconds since 1970 (before jitter).")
    }
    static var runsRunning: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "flow", metricName: "runs_running", unitName: "", helpText: "Runs executing in this daemon.")
    }
    static var runsQueued: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "flow", metricName: "runs_queued", unitName: "", helpText: "Runs recorded and waiting for a slot in this daemon.")
    }
    static var reloads: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "flow", metricName: "reload_errors", unitName: "total",
            helpText: "Workflow file loads that failed (the previous version kept running).")
    }

    static let durationBuckets: [Duration] = [0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 1800, 3600, 7200].map {
        .milliseconds(Int64($0 * 1000))
    }
    static let lagBuckets: [Duration] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300].map {
        .microseconds(Int64($0 * 1_000_000))
    }

    init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        snapshot = Mutex(nil)
        running = registry.makeGauge(descriptor: Self.runsRunning)
        queued = registry.makeGauge(descriptor: Self.runsQueued)
        reloadErrors = registry.makeCounter(descriptor: Self.reloads)
    }

    /// Where the gauges come from (the scheduler, once it exists).
    func observe(_ provider: @escaping @Sendable () -> SchedulerSnapshot) {
        snapshot.withLock { $0 = provider }
    }

    func runFinished(_ workflow: WorkflowName, _ status: RunStatus) {
        registry.makeCounter(descriptor: Self.runs, labels: [("workflow", workflow.rawValue), ("status", status.rawValue)]).increment()
    }

    func stepFinished(_ workflow: WorkflowName, step: StepID, duration: Duration) {
        registry.makeDurationHistogram(
            descriptor: Self.stepDuration, labels: [("workflow", workflow.rawValue), ("step", step.rawValue)], buckets: Self.durationBuckets
        ).record(max(.zero, duration))
    }

    func scheduledRunStarted(_ workflow: WorkflowName, lag: Duration) {
        registry.makeDurationHistogram(descriptor: Self.lag, labels: [("workflow", workflow.rawValue)], buckets: Self.lagBuckets)
            .record(max(.zero, lag))
    }

    func reloadFailed() {
        reloadErrors.increment()
    }

    func exposition() -> [UInt8] {
        if let provider = snapshot.withLock({ $0 }) {
            refresh(provider())
        }
        return registry.emitToBuffer()
    }

    private func refresh(_ snapshot: SchedulerSnapshot) {
        running.set(Double(snapshot.running))
        queued.set(Double(snapshot.queued))
        nextFireGauges.withLock { gauges in
            for (id, gauge) in gauges where snapshot.nextFires[id] == nil {
                registry.unregisterGauge(gauge)
                gauges[id] = nil
            }
            for (id, date) in snapshot.nextFires {
                let gauge =
                    gauges[id]
                    ?? registry.makeGauge(descriptor: Self.nextFire, labels: [("workflow", id.workflow.rawValue), ("schedule", id.key)])
                gauges[id] = gauge
                gauge.set(date.timeIntervalSince1970)
            }
        }
    }
}

/// Feeds step durations and scheduler lag to the metrics from one run's events.
final class MetricsObserver: RunObserver, Sendable {
    let metrics: DaemonMetrics
    let workflow: WorkflowName
    let scheduledFor: Date?
    private let started = Mutex<[StepID: Date]>([:])

    init(metrics: DaemonMetrics, workflow: WorkflowName, scheduledFor: Date?) {
        self.metrics = metrics
        self.workflow = workflow
        self.scheduledFor = scheduledFor
    }

    func handle(_ event: RunEvent) {
        switch event {
        case .runStarted(_, let at):
            if let scheduledFor {
                metrics.scheduledRunStarted(workflow, lag: .milliseconds(Int64((at.timeIntervalSince(scheduledFor) * 1000).rounded())))
            }
        case .stepStarted(let step, _, _, let at):
            started.withLock { if $0[step] == nil { $0[step] = at } }
        case .stepFinished(let step, _, _, _, let attempts, let at):
            guard attempts > 0, let start = started.withLock({ $0.removeValue(forKey: step) }) else { return }
            metrics.stepFinished(workflow, step: step, duration: .milliseconds(Int64((at.timeIntervalSince(start) * 1000).rounded())))
        default:
            break
        }
    }
}
