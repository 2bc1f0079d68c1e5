public import FlowCore
import FlowEngine
public import FlowStore
public import Foundation
import Glibc
public import Logging

/// Closes the runs a crashed flow process left behind, at daemon start.
///
/// A run recorded `running` or `queued` on this host whose process is gone — not alive, or
/// its pid now belongs to a process that started after the run was created (pids are reused;
/// after a container restart the new daemon is often PID 1 again) — is an orphan. Its leftover
/// step processes are killed: each attempt's process group (the step's pid is its group id:
/// `kill(-pid, SIGKILL)`), and every process whose environment carries the run's
/// `FLOW_RUN_ID` (also when no pid was recorded, and for children that left the group). Then
/// the run, its running steps and attempts are recorded `interrupted` with the reason, so
/// `flow retry RUN` resumes it. Runs of other hosts, and of live `flow run` processes, are left
/// alone. Nothing else is changed: every row recorded before the crash stays as it was.
public struct CrashRecovery: Sendable {
    let store: RunStore
    let host: String
    let ownPID: pid_t
    /// When this daemon started: processes started later are not leftovers.
    let startedAt: Date
    let logger: Logger

    /// - Parameters:
    ///   - host: this machine's host name; runs of other hosts are left alone.
    ///   - ownPID: this process (never killed, never taken for a run's owner).
    ///   - startedAt: processes started after this are not leftovers.
    public init(store: RunStore, host: String, ownPID: Int32, startedAt: Date, logger: Logger) {
        self.store = store
        self.host = host
        self.ownPID = ownPID
        self.startedAt = startedAt
        self.logger = logger
    }

    /// One closed run.
    public struct Recovered: Equatable, Sendable {
        public var run: RunID
        /// The leftover processes killed, ascending.
        public var killed: [Int32]
        public var reason: String
    }

    /// Closes every unfinished run of this host whose flow process is gone.
    /// - Throws: `StoreError` when the database cannot be read or written.
    func recover() throws(StoreError) -> [Recovered] {
        var recovered: [Recovered] = []
        for run in try store.unfinishedRuns() where run.host == host {
            if let closed = try recover(run, finder: "the daemon found it at start") { recovered.append(closed) }
        }
        return recovered
    }

    /// Whether `run`'s flow process still runs it: its recorded pid is alive, not a zombie,
    /// started no later than the run was created, and runs flow (so it is not a reused pid).
    public func ownerIsAlive(_ run: Run) -> Bool {
        guard let pid = run.pid, pid != ownPID, let owner = ProcessTable.entry(pid), owner.state != "Z" else { return false }
        return owner.startedAt <= run.createdAt.addingTimeInterval(2) && ProcessTable.runsFlow(pid)
    }

    /// Whether the process running `run` is a `flow daemon` (a SIGTERM would stop the whole
    /// daemon, not this run).
    public func ownerIsDaemon(_ run: Run) -> Bool {
        guard let pid = run.pid else { return false }
        return ProcessTable.arguments(pid).dropFirst().contains("daemon")
    }

    /// Closes `run` if it is unfinished, of this host, and its flow process is gone: kills what
    /// is left of its steps and records it `interrupted`, the reason naming `finder` ("flow
    /// cancel found it").
    /// - Returns: what was done; nil when the run is finished, of another host, or still run.
    /// - Throws: `StoreError` when the database cannot be read or written.
    public func recover(_ run: Run, finder: String) throws(StoreError) -> Recovered? {
        guard !run.status.isFinal, run.host == host, !ownerIsAlive(run) else { return nil }
        let killed = try killLeftovers(of: run)
        let reason =
            "its flow process \(run.pid.map(String.init) ?? "?") is gone (\(finder)\(killed.isEmpty ? "" : "; killed leftover processes \(LeftoverProcesses.describe(killed))"))"
        guard try store.recordRunInterrupted(run.id, reason: reason, at: Date()) else { return nil }
        logger.warning(
            "recovered run left by a crash: interrupted (flow retry \(run.id) resumes it)",
            metadata: ["run": "\(run.id)", "workflow": "\(run.workflow)", "killed": "\(killed.count)"])
        return Recovered(run: run.id, killed: killed, reason: reason)
    }

    /// Kills what is left of `run`'s steps; returns the pids killed.
    private func killLeftovers(of run: Run) throws(StoreError) -> [pid_t] {
        var victims: Set<pid_t> = []
        var groups: Set<pid_t> = []
        for attempt in try store.attempts(run.id) where attempt.status == .running {
            guard let group = attempt.pid, group > 1 else { continue }
            // Only a group whose members started with or after the attempt, and before this
            // daemon: a reused group id is somebody else's.
            let members = ProcessTable.members(ofGroup: group).filter {
                $0.startedAt >= attempt.startedAt.addingTimeInterval(-2) && $0.startedAt <= startedAt
            }
            if !members.isEmpty {
                groups.insert(group)
                victims.formUnion(members.map(\.pid))
            }
        }
        for pid in LeftoverProcesses.carrying(["FLOW_RUN_ID=\(run.id.rawValue)"]) where pid != ownPID {
            guard let entry = ProcessTable.entry(pid), entry.state != "Z" else { continue }
            victims.insert(pid)
            if entry.processGroup > 1 && entry.processGroup != getpgrp() { groups.insert(entry.processGroup) }
        }
        for group in groups { kill(-group, SIGKILL) }
        for pid in victims { kill(pid, SIGKILL) }
        // SIGKILL takes effect when a process next runs: report them killed once they are.
        LeftoverProcesses.waitForExit(Array(victims))
        return victims.sorted()
    }
}
