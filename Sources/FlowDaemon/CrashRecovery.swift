import FlowCore
import FlowStore
import Foundation
import Glibc
import Logging

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
struct CrashRecovery {
    let store: RunStore
    let host: String
    let ownPID: pid_t
    /// When this daemon started: processes started later are not leftovers.
    let startedAt: Date
    let logger: Logger

    /// One closed run.
    struct Recovered: Equatable {
        var run: RunID
        var killed: [pid_t]
        var reason: String
    }

    /// - Throws: `StoreError` when the database cannot be read or written.
    func recover() throws(StoreError) -> [Recovered] {
        var recovered: [Recovered] = []
        for run in try store.unfinishedRuns() where run.host == host {
            if let pid = run.pid, pid != ownPID, let owner = ProcessTable.entry(pid), owner.state != "Z",
                owner.startedAt <= run.createdAt.addingTimeInterval(2)
            {
                continue  // its flow process is still running it
            }
            let killed = try killLeftovers(of: run)
            let reason =
                "its flow process \(run.pid.map(String.init) ?? "?") is gone (the daemon found it at start\(killed.isEmpty ? "" : "; killed leftover processes \(killed.map(String.init).joined(separator: ", "))"))"
            if try store.recordRunInterrupted(run.id, reason: reason, at: Date()) {
                logger.warning(
                    "recovered run left by a crash: interrupted (flow retry \(run.id) resumes it)",
                    metadata: ["run": "\(run.id)", "workflow": "\(run.workflow)", "killed": "\(killed.count)"])
                recovered.append(Recovered(run: run.id, killed: killed, reason: reason))
            }
        }
        return recovered
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
        for pid in ProcessTable.processes(withEnvironment: "FLOW_RUN_ID=\(run.id.rawValue)") where pid != ownPID {
            guard let entry = ProcessTable.entry(pid), entry.state != "Z" else { continue }
            victims.insert(pid)
            if entry.processGroup > 1 && entry.processGroup != getpgrp() { groups.insert(entry.processGroup) }
        }
        for group in groups { kill(-group, SIGKILL) }
        for pid in victims { kill(pid, SIGKILL) }
        return victims.sorted()
    }
}
