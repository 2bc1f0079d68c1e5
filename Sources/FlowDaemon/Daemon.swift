import FlowCore
import FlowEngine
public import FlowRuntime
public import FlowScheduler
import FlowServer
import FlowStore
public import Foundation
import Glibc
public import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import Synchronization

/// `flow daemon`: the composition root. Opens the run database, closes runs a crash left
/// behind, loads and watches the workflows, and runs the scheduler, the watcher and the HTTP
/// server as services of one `ServiceGroup` with graceful shutdown: SIGTERM or SIGINT stops
/// firing, lets running steps finish within the grace period, cancels them after it (or at
/// once on a second SIGTERM or SIGINT), records everything, then stops the server. The only
/// place that bootstraps logging and metrics backends (`bootstrapLogging`, `bootstrapMetrics`).
///
/// Once it listens, and whenever it is about to sleep a minute or more with no run going after
/// runs ended, it gives back the code pages it mapped to get there (`CodePages`), so that an
/// idle daemon's resident set is what idling needs.
public final class Daemon: Sendable {
    /// What `flow daemon` is told.
    public struct Options: Sendable {
        /// The project: root, workflow folders (relative to the root), database.
        public var project: Project
        /// Host and port to listen on; port 0 picks a free one.
        public var host: String
        public var port: Int
        /// Bearer token for the mutating endpoints; nil turns them off.
        public var token: String?
        /// How long running steps may go on after SIGTERM before they are cancelled.
        public var grace: Duration
        public var limits: RunLimits
        /// Handle SIGTERM and SIGINT: the first stops the daemon gracefully, a second cancels
        /// the running steps at once (off for a daemon inside a test process).
        public var handleSignals: Bool
        /// The environment runs see (secrets are read from it).
        public var environment: [String: String]

        public init(
            project: Project, host: String = "127.0.0.1", port: Int = 8080, token: String? = nil, grace: Duration = .seconds(30),
            limits: RunLimits = RunLimits(), handleSignals: Bool = true,
            environment: [String: String] = ProcessInfo.processInfo.environment
        ) {
            self.project = project
            self.host = host
            self.port = port
            self.token = token
            self.grace = grace
            self.limits = limits
            self.handleSignals = handleSignals
            self.environment = environment
        }
    }

    public let options: Options
    let logger: Logger
    let clock: any Clock<Duration>
    let now: @Sendable () -> Date
    let jitterSeed: UInt64
    let metrics = DaemonMetrics()
    private let group = Mutex<ServiceGroup?>(nil)
    private let stopRequested = Mutex(false)

    /// - Parameters:
    ///   - clock: elapsed time (sleeps, grace period); `ContinuousClock` outside tests.
    ///   - now: wall-clock time for cron.
    ///   - jitterSeed: the seed of schedule jitter; random by default.
    public init(
        options: Options, logger: Logger, clock: any Clock<Duration> = ContinuousClock(), now: @escaping @Sendable () -> Date = { Date() },
        jitterSeed: UInt64 = UInt64.random(in: .min ... .max)
    ) {
        self.options = options
        self.logger = logger
        self.clock = clock
        self.now = now
        self.jitterSeed = jitterSeed
    }

    /// Sends log lines to standard error at `level` and above. Call once per process, first.
    public static func bootstrapLogging(level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }

    /// Sends swift-metrics from any library to this daemon's registry, so `/metrics` shows them
    /// too. Call once per process.
    public func bootstrapMetrics() {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics.registry))
    }

    /// Asks a running daemon to stop, as SIGTERM does.
    public func shutdown() async {
        stopRequested.withLock { $0 = true }
        if let group = group.withLock({ $0 }) { await group.triggerGracefulShutdown() }
    }

    /// Runs until shut down.
    /// - Parameter onListening: called with the bound host and port once the server accepts
    ///   connections.
    /// - Throws: `DaemonError` when the database cannot be opened or read at start, or inotify
    ///   cannot be set up; errors of the services.
    public func run(onListening: @escaping @Sendable (String, Int) async -> Void = { _, _ in }) async throws {
        let startedAt = now()
        let project = options.project
        let store: RunStore
        do { store = try RunStore(path: project.databasePath) } catch { throw DaemonError(error.message) }
        if !Reaper.becomeSubreaper() {
            logger.warning("cannot become the reaper of orphaned processes (prctl PR_SET_CHILD_SUBREAPER failed)")
        }
        let recovery = CrashRecovery(
            store: store, host: ProcessInfo.processInfo.hostName, ownPID: getpid(), startedAt: startedAt, logger: logger)
        do { _ = try recovery.recover() } catch { throw DaemonError(error.message) }

        let launcher = RunLauncher.standard(project: project, store: store, environment: options.environment)
        let metrics = metrics
        let catalog = WorkflowCatalog(
            project: project, loader: launcher.loader, logger: logger, now: now, onReloadError: { metrics.reloadFailed() })
        catalog.reload()
        let stateStore = ScheduleStateStore(store: store)
        let dispatcher = DaemonDispatcher(
            catalog: catalog, factory: RunFactory(project: project, environment: options.environment, now: now), store: store,
            engine: launcher.engine, metrics: metrics, logger: logger)
        let scheduler = SchedulerService(
            planner: TickPlanner(limits: options.limits, jitter: Jitter(seed: jitterSeed)), dispatcher: dispatcher,
            stateStore: ScheduleStateAdapter(store: stateStore, now: now), clock: clock, now: now, grace: options.grace,
            onIdle: { [logger = self.logger] in
                // Nothing runs and nothing fires for a minute or more: give back the code pages
                // that starting and the runs since needed.
                let released = CodePages.release()
                logger.debug("released code pages", metadata: ["resident_kib": "\(released)"])
            },
            logger: logger)
        metrics.observe { scheduler.snapshot }

        let known = Mutex(Set(catalog.schedules().map(\.id)))
        scheduler.update(schedules: Array(catalog.schedules()), forgetting: staleSchedules(stateStore, catalog))
        let logger = logger
        let watcher = WorkflowWatcher(
            folders: project.workflowFolders.map { project.root + "/" + $0 }, clock: clock, logger: logger
        ) {
            let outcome = catalog.reload()
            guard outcome.loaded.count + outcome.failed.count + outcome.removed.count > 0 else { return }
            let current = catalog.schedules()
            let ids = Set(current.map(\.id))
            let gone = known.withLock { known in
                defer { known = ids }
                return known.subtracting(ids)
            }
            scheduler.update(schedules: current, forgetting: gone)
        }

        let api = DaemonAPI(catalog: catalog, store: store, scheduler: scheduler, dispatcher: dispatcher, now: now)
        let server = APIServer(
            configuration: APIServer.Configuration(host: options.host, port: options.port, token: options.token.flatMap(BearerToken.init)),
            workflows: api, history: api, commands: api, metrics: metrics, logger: logger)
        let application = server.makeApplication { host, port in
            logger.notice("listening on http://\(host.contains(":") ? "[\(host)]" : host):\(port)")
            // Start-up is over: what it alone needed (parsing, migrations, loading) goes.
            let released = CodePages.release()
            logger.debug("released start-up code pages", metadata: ["resident_kib": "\(released)"])
            await onListening(host, port)
        }
        var configuration = ServiceGroupConfiguration(
            services: [
                // Shut down in reverse order: the scheduler stops firing and drains its runs
                // first, the server (API, metrics) goes last.
                .init(service: application, successTerminationBehavior: .gracefullyShutdownGroup),
                .init(service: watcher),
                .init(service: scheduler, successTerminationBehavior: .gracefullyShutdownGroup),
            ],
            // Signals are handled below, to tell a first one from a second.
            gracefulShutdownSignals: [],
            logger: logger)
        configuration.maximumGracefulShutdownDuration = options.grace + .seconds(60)
        let group = ServiceGroup(configuration: configuration)
        self.group.withLock { $0 = group }
        logger.notice(
            "flow daemon started",
            metadata: [
                "project": "\(project.root)", "workflows": "\(catalog.summaries(nextFires: [:]).count)",
                "schedules": "\(known.withLock { $0.count })", "database": "\(project.databasePath)",
            ])
        if stopRequested.withLock({ $0 }) { await group.triggerGracefulShutdown() }
        let signals = options.handleSignals ? StopSignals() : nil
        defer { signals?.stop() }
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            if let signals {
                tasks.addTask { await Self.follow(signals, group: group, scheduler: scheduler, logger: logger) }
            }
            try await group.run()
            tasks.cancelAll()
        }
        logger.notice("flow daemon stopped")
    }

    /// The first SIGTERM or SIGINT shuts the service group down gracefully; any later one ends
    /// the grace period at once: the running runs are cancelled (steps, then `always()` steps;
    /// each step's process group gets SIGTERM, then SIGKILL after `FLOW_KILL_GRACE`), as a
    /// second Ctrl-C does to `flow run`. Returns when the task is cancelled.
    private static func follow(_ signals: StopSignals, group: ServiceGroup, scheduler: SchedulerService, logger: Logger) async {
        var count = 0
        for await number in signals.received {
            count += 1
            let name = StopSignals.name(number)
            if count == 1 {
                logger.notice("\(name): stopping; running steps may finish within the grace period (\(name) again cancels them now)")
                await group.triggerGracefulShutdown()
            } else {
                logger.notice("\(name) again: cancelling the running steps now")
                scheduler.stopNow(reason: "the daemon was stopped by a second \(name) before its grace period ended")
            }
        }
    }

    /// Watermarks to drop at start: schedules of workflows that loaded but no longer have them,
    /// and of workflows whose files are gone. Files that exist but do not load keep theirs.
    private func staleSchedules(_ stateStore: ScheduleStateStore, _ catalog: WorkflowCatalog) -> Set<ScheduleID> {
        guard let rows = try? stateStore.scheduleStates() else { return [] }
        let current = Set(catalog.schedules().map(\.id))
        let (running, fileNames) = catalog.knownNames()
        var stale: Set<ScheduleID> = []
        for row in rows {
            let id = ScheduleID(workflow: row.workflow, key: row.scheduleKey)
            if current.contains(id) { continue }
            if running.contains(row.workflow) || !fileNames.contains(row.workflow.rawValue) { stale.insert(id) }
        }
        return stale
    }
}

/// The daemon cannot start.
public struct DaemonError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
