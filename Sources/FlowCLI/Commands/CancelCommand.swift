import ArgumentParser
import FlowCore
import FlowDaemon
import FlowEngine
import FlowRuntime
import FlowStore
import Foundation
import Logging

/// `flow cancel RUN`: ask the process running a run to cancel it.
struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a running run (SIGTERM to the flow process running it, which stops its steps and records the run as cancelled).",
        discussion:
            "If that process is gone (it crashed or was killed), what is left of the run's steps is killed — each running attempt's process group and every process carrying the run's FLOW_RUN_ID — and the run is recorded as interrupted. Exit status: 0 done, 66 no such run, 75 the run is already finished."
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Run id (a unique prefix is enough).") var run: String
    @Option(
        help: ArgumentHelp("Cancel through a flow daemon's API (e.g. http://127.0.0.1:8080; token from $FLOW_TOKEN).", valueName: "url"))
    var daemon: String?

    func run() async throws {
        if let daemon { return try await cancel(through: daemon) }
        let store = try global.openStore()
        do {
            let r = try RunLookup.find(run, in: store)
            guard !r.status.isFinal else { throw CLIFailure(.tryAgain, "error: run \(r.id) is already \(r.status.rawValue)\n") }
            let host = ProcessInfo.processInfo.hostName
            guard let pid = r.pid, r.host == host else {
                throw CLIFailure(
                    .unavailable, "error: run \(r.id) is running on \(r.host ?? "another host"); cancel it through its daemon\n")
            }
            // Its flow process is gone (killed with -9, a crash): nobody will stop its steps, so
            // kill what is left of them, as the daemon does at start, and close the run.
            let recovery = CrashRecovery(
                store: store, host: host, ownPID: getpid(), startedAt: Date(), logger: Logger(label: "flow.cancel"))
            if !recovery.ownerIsAlive(r) {
                let recovered = try recovery.recover(r, finder: "flow cancel found it")
                let killed = recovered?.killed ?? []
                Console().out(
                    "run \(r.id): process \(pid) is gone; "
                        + (killed.isEmpty ? "" : "killed its leftover processes \(LeftoverProcesses.describe(killed)); ")
                        + "recorded as interrupted (flow retry \(r.id) resumes it)\n")
            } else if recovery.ownerIsDaemon(r) {
                // A SIGTERM would begin the daemon's shutdown, not cancel this run.
                throw CLIFailure(
                    .unavailable,
                    "error: run \(r.id) is run by flow daemon (process \(pid)); cancel it through the daemon: flow cancel --daemon http://HOST:PORT \(r.id)\n"
                )
            } else if kill(pid, SIGTERM) == 0 {
                Console().out("cancelling run \(r.id) (sent SIGTERM to process \(pid))\n")
            } else {
                throw CLIFailure(.ioError, "error: cannot signal process \(pid): \(String(cString: strerror(errno)))\n")
            }
        } catch let e as StoreError {
            throw CLIFailure(.ioError, e.message)
        } catch let e as RuntimeError {
            throw CLIFailure(e)
        }
    }
}
