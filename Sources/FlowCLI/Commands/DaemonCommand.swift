import ArgumentParser
import FlowCore
import FlowDaemon
import FlowRuntime
import FlowScheduler
import Foundation
import Logging

/// `flow daemon`: fire schedules, serve the HTTP API and metrics, until SIGTERM or SIGINT.
struct DaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon",
        abstract: "Run the workflows' schedules and serve the HTTP API and metrics until stopped (see docs/scheduling.md, docs/api.md).",
        discussion: """
            Loads every workflow in Workflows/ and Pipelines/ (or the --folder folders), reloads them when they change \
            (an edit that does not load keeps the previous version running), and fires their schedules. Runs left \
            running by a crashed flow process are recorded as interrupted at start (flow retry resumes them). \
            SIGTERM or SIGINT: stop firing, let running steps finish within --grace, then cancel them; a second \
            SIGTERM or SIGINT cancels them at once. \
            Exit status: 0 stopped, 64 bad option or FLOW_KILL_GRACE, 69 cannot listen or watch, 74 database error.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(
        name: .customLong("folder"),
        help: ArgumentHelp(
            "A folder of workflow files, relative to the project; repeat for several (default: Workflows and Pipelines).", valueName: "dir")
    )
    var folders: [String] = []

    @Option(help: ArgumentHelp("Address to listen on: host:port, [ipv6]:port (port 0: any free port).", valueName: "host:port"))
    var listen = "127.0.0.1:8080"

    @Option(
        help: ArgumentHelp(
            "File holding the bearer token of the mutating API endpoints (default: $FLOW_TOKEN; neither: those endpoints are off).",
            valueName: "path"))
    var tokenFile: String?

    @Option(help: ArgumentHelp("How long running steps may go on after SIGTERM/SIGINT before they are cancelled.", valueName: "duration"))
    var grace = "30s"

    @Option(help: "Most runs executing at once; more wait as queued.")
    var maxRuns = 16

    @Option(help: "Most runs of one workflow executing at once.")
    var maxRunsPerWorkflow = 4

    @Option(
        help: ArgumentHelp("Least important log level shown: trace, debug, info, notice, warning, error, critical.", valueName: "level"))
    var logLevel = "info"

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw CLIFailure(.usage, "error: --log-level must be one of trace, debug, info, notice, warning, error, critical\n")
        }
        guard let graceDuration = DurationText.parse(grace) else {
            throw CLIFailure(.usage, "error: --grace '\(grace)' is not a duration such as 30s or 2m\n")
        }
        guard let (host, port) = ListenAddress.parse(listen) else {
            throw CLIFailure(.usage, "error: --listen '\(listen)' is not host:port (e.g. 127.0.0.1:8080 or [::1]:8080)\n")
        }
        guard maxRuns >= 1, maxRunsPerWorkflow >= 1 else {
            throw CLIFailure(.usage, "error: --max-runs and --max-runs-per-workflow must be at least 1\n")
        }
        // Runs it starts read FLOW_KILL_GRACE too (RunLauncher.standard): refuse a bad value here,
        // as flow run and flow retry do, rather than fall back to 5 s unnoticed.
        do { _ = try RunLauncher.killGrace(environment: environment) } catch { throw CLIFailure(.usage, "error: \(error.message)\n") }
        var project = global.projectValue
        if !folders.isEmpty {
            project.workflowFolders = try folders.map { folder in
                let absolute = folder.hasPrefix("/") ? (folder as NSString).standardizingPath : nil
                if let absolute {
                    guard absolute.hasPrefix(project.root + "/") else {
                        throw CLIFailure(.usage, "error: --folder \(folder) is outside the project \(project.root)\n")
                    }
                    return String(absolute.dropFirst(project.root.count + 1))
                }
                return folder
            }
        }
        var token = environment["FLOW_TOKEN"]
        if let tokenFile {
            guard let data = FileManager.default.contents(atPath: tokenFile) else {
                throw CLIFailure(.usage, "error: cannot read --token-file \(tokenFile)\n")
            }
            token = String(decoding: data, as: UTF8.self)
        }
        token = token?.trimmingCharacters(in: .whitespacesAndNewlines)
        if token?.isEmpty == true { token = nil }

        Daemon.bootstrapLogging(level: level)
        let logger = Logger(label: "flow.daemon")
        if token == nil {
            logger.notice("no API token (--token-file or $FLOW_TOKEN): the mutating endpoints are off")
        }
        let daemon = Daemon(
            options: Daemon.Options(
                project: project, host: host, port: port, token: token, grace: graceDuration,
                limits: RunLimits(global: maxRuns, perWorkflow: maxRunsPerWorkflow), environment: environment),
            logger: logger)
        daemon.bootstrapMetrics()
        do {
            try await daemon.run()
        } catch let error as DaemonError {
            throw CLIFailure(.ioError, "error: \(error.message)\n")
        } catch {
            throw CLIFailure(.unavailable, "error: \(error)\n")
        }
    }
}

/// `--listen` values.
enum ListenAddress {
    /// `host:port` or `[ipv6]:port`; nil when malformed or the port is not 0–65535.
    static func parse(_ text: String) -> (String, Int)? {
        let host: Substring
        let port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let number = Int(port), (0...65535).contains(number) else { return nil }
        return (String(host), number)
    }
}
