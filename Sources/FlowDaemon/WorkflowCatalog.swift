import FlowCore
import FlowRuntime
import FlowScheduler
import FlowServer
import FlowSpec
import Foundation
import Logging
import Synchronization

/// The workflows the daemon runs: every `*.yaml`/`*.yml` in the watched folders, each with the
/// last version that loaded (it keeps running) and the problems of the file as it is now.
///
/// An edit that does not load leaves the previous version in place and is reported three ways:
/// the log (compiler-style diagnostics), the API (`diagnostics` of the workflow) and the
/// `flow_reload_errors_total` metric.
final class WorkflowCatalog: Sendable {
    /// A version of a file that loaded.
    struct Loaded: Sendable {
        var workflow: Workflow
        var schedules: [Schedule]
        var loadedAt: Date
    }

    /// One watched file.
    struct Entry: Sendable {
        /// Absolute path.
        var path: String
        /// Relative to the project root.
        var display: String
        /// The text last read (to skip reloading what did not change).
        var text: String
        /// The running version; nil when no version has loaded.
        var good: Loaded?
        /// Errors of the latest edit when it did not load; else the running version's warnings.
        var diagnostics: [Diagnostic]
    }

    /// What one reload did.
    struct Outcome: Sendable, Equatable {
        var loaded: [String] = []
        var failed: [String] = []
        var removed: [String] = []
        var unchanged = 0
    }

    let project: Project
    let loader: WorkflowLoader
    let logger: Logger
    let now: @Sendable () -> Date
    let onReloadError: @Sendable () -> Void
    private let entries = Mutex<[String: Entry]>([:])

    init(
        project: Project, loader: WorkflowLoader, logger: Logger, now: @escaping @Sendable () -> Date,
        onReloadError: @escaping @Sendable () -> Void
    ) {
        self.project = project
        self.loader = loader
        self.logger = logger
        self.now = now
        self.onReloadError = onReloadError
    }

    /// Reads every workflow file again and loads those whose text changed.
    @discardableResult
    func reload() -> Outcome {
        var outcome = Outcome()
        let files = project.workflowFiles()
        var texts: [String: String] = [:]
        // Files that are not UTF-8: `unreadable-file`, as flow validate and flow run say.
        var unreadable: [String: DiagnosticError] = [:]
        for file in files {
            // A file that vanished between listing and reading counts as removed.
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            let bytes = [UInt8](data)
            do {
                texts[file] = try WorkflowLoader.decodeText(bytes, display: project.display(file))
            } catch {
                // The lossy text only tells an edit from no change.
                texts[file] = String(decoding: bytes, as: UTF8.self)
                unreadable[file] = error
            }
        }
        var current = entries.withLock { $0 }
        for path in current.keys where texts[path] == nil {
            current[path] = nil
            outcome.removed.append(project.display(path))
        }
        for file in files {
            guard let text = texts[file] else { continue }
            if let entry = current[file], entry.text == text {
                outcome.unchanged += 1
                continue
            }
            let display = project.display(file)
            var entry = current[file] ?? Entry(path: file, display: display, text: text, good: nil, diagnostics: [])
            entry.text = text
            do {
                if let error = unreadable[file] { throw error }
                let (workflow, warnings) = try loader.load(text: text, file: display)
                let schedules = try Schedule.schedules(of: workflow)
                entry.good = Loaded(workflow: workflow, schedules: schedules, loadedAt: now())
                entry.diagnostics = warnings
                outcome.loaded.append(display)
            } catch let error as DiagnosticError {
                entry.diagnostics = error.diagnostics
                outcome.failed.append(display)
                report(error.diagnostics, text: text, display: display, keeping: entry.good != nil)
            } catch {
                let diagnostic = Diagnostic(
                    .error, code: "invalid-cron", message: "\(error)", at: SourceLocation(file: display, line: 1, column: 1))
                entry.diagnostics = [diagnostic]
                outcome.failed.append(display)
                report([diagnostic], text: text, display: display, keeping: entry.good != nil)
            }
            current[file] = entry
        }
        markDuplicates(&current, outcome: &outcome)
        entries.withLock { $0 = current }
        for file in outcome.loaded { logger.info("loaded workflow", metadata: ["file": "\(file)"]) }
        for file in outcome.removed { logger.info("workflow file removed", metadata: ["file": "\(file)"]) }
        return outcome
    }

    private func report(_ diagnostics: [Diagnostic], text: String, display: String, keeping: Bool) {
        onReloadError()
        let rendered = DiagnosticRenderer(sources: [display: text]).render(diagnostics)
        logger.error(
            "workflow does not load; \(keeping ? "the previous version keeps running" : "it does not run")\n\(rendered)",
            metadata: ["file": "\(display)"])
    }

    /// Two files with one workflow name: the first by path runs; the others get an error.
    private func markDuplicates(_ current: inout [String: Entry], outcome: inout Outcome) {
        var owner: [WorkflowName: String] = [:]
        for path in current.keys.sorted() {
            guard let name = current[path]?.good?.workflow.name else { continue }
            if let first = owner[name] {
                let display = current[path]!.display
                let message = "workflow name '\(name)' is also used by \(project.display(first)); this file does not run"
                if !current[path]!.diagnostics.contains(where: { $0.code.rawValue == "duplicate-workflow" }) {
                    current[path]!.diagnostics.append(
                        Diagnostic(
                            .error, code: "duplicate-workflow", message: message, at: SourceLocation(file: display, line: 1, column: 1)))
                    logger.error("\(message)", metadata: ["file": "\(display)"])
                    onReloadError()
                }
                current[path]!.good = nil
                outcome.loaded.removeAll { $0 == display }
                outcome.failed.append(display)
            } else {
                owner[name] = path
            }
        }
    }

    /// Every schedule of every running workflow.
    func schedules() -> [Schedule] {
        entries.withLock { $0.values.flatMap { $0.good?.schedules ?? [] } }
    }

    /// The running version of workflow `name` and its file (absolute).
    func workflow(named name: WorkflowName) -> (Workflow, String)? {
        entries.withLock { entries in
            entries.values.first { $0.good?.workflow.name == name }.map { ($0.good!.workflow, $0.path) }
        }
    }

    /// The running version of the workflow a name or path refers to: by workflow name, else
    /// by file base name.
    func workflow(matching text: String) -> (Workflow, String)? {
        if let found = workflow(named: WorkflowName(text)) { return found }
        return entries.withLock { entries in
            entries.values.first { (($0.path as NSString).lastPathComponent as NSString).deletingPathExtension == text && $0.good != nil }
                .map { ($0.good!.workflow, $0.path) }
        }
    }

    /// Whether a file named like `text` exists but has no running version (for error messages).
    func problems(matching text: String) -> [Diagnostic]? {
        entries.withLock { entries in
            entries.values.first { (($0.path as NSString).lastPathComponent as NSString).deletingPathExtension == text }?.diagnostics
        }
    }

    /// Every file, for the API.
    func summaries(nextFires: [ScheduleID: Date]) -> [WorkflowSummary] {
        entries.withLock { entries in
            entries.values.sorted { $0.path < $1.path }.map { entry in
                let workflow = entry.good?.workflow
                let name = workflow?.name ?? WorkflowName(((entry.path as NSString).lastPathComponent as NSString).deletingPathExtension)
                let schedules = (workflow?.schedules ?? []).map { spec in
                    WorkflowSummary.ScheduleInfo(
                        cron: spec.cron.value, timezone: spec.timezone, paused: spec.paused, catchup: spec.catchup.rawValue,
                        overlap: spec.overlap.rawValue,
                        nextFire: nextFires[ScheduleID(workflow: name, key: ScheduleID.key(cron: spec.cron.value, timezone: spec.timezone))]
                    )
                }
                return WorkflowSummary(
                    name: name, file: entry.display, description: workflow?.description, loaded: entry.good != nil,
                    loadedAt: entry.good?.loadedAt, schedules: schedules, diagnostics: entry.diagnostics)
            }
        }
    }

    /// Names of workflows whose files loaded at some point and still exist, and names of files
    /// that exist but never loaded (their schedule states must be kept).
    func knownNames() -> (running: Set<WorkflowName>, fileNames: Set<String>) {
        entries.withLock { entries in
            (
                Set(entries.values.compactMap { $0.good?.workflow.name }),
                Set(entries.values.map { (($0.path as NSString).lastPathComponent as NSString).deletingPathExtension })
            )
        }
    }
}
