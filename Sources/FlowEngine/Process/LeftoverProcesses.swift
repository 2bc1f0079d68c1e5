import Glibc

/// Processes found by what their environment carries — the way Jenkins' process-tree killer
/// finds a build's processes: a process that left its step's process group (`setsid`, a
/// daemonizing double fork) still carries the `FLOW_*` variables the engine gave the step,
/// unless it cleared its environment.
public enum LeftoverProcesses {
    /// The ids of processes (zombies too) whose environment (`/proc/PID/environ`, proc(5))
    /// holds every one of `entries` (`NAME=value`, compared exactly), other than this process.
    /// Only processes this user may read are seen.
    public static func carrying(_ entries: [String]) -> [Int32] {
        guard !entries.isEmpty, let directory = opendir("/proc") else { return [] }
        defer { closedir(directory) }
        let needles = entries.map { Array($0.utf8) }
        let own = getpid()
        var found: [pid_t] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard let pid = pid_t(name), pid != own else { continue }
            guard let environment = readEnvironment(pid) else { continue }
            let present = environment.split(separator: 0)
            if needles.allSatisfy({ needle in present.contains { $0.elementsEqual(needle) } }) { found.append(pid) }
        }
        return found
    }

    /// Sends SIGKILL to every process carrying `entries` until none is left alive (a process
    /// may fork while it is being looked for; at most 10 rounds), then waits until they have
    /// died — SIGKILL takes effect when the process next runs — through a pidfd each (readable
    /// once the process has exited, child or not), for at most `limit`. Zombies are not counted.
    /// - Returns: the pids killed, in ascending order.
    @discardableResult
    public static func kill(carrying entries: [String], waitingAtMost limit: Duration = .seconds(2)) -> [Int32] {
        var killed: Set<pid_t> = []
        var pidfds: [Int32] = []
        defer { for fd in pidfds { close(fd) } }
        for _ in 0..<10 {
            let alive = carrying(entries).filter { !isZombie($0) && !killed.contains($0) }
            if alive.isEmpty { break }
            for pid in alive {
                let fd = LinuxCalls.pidfdOpen(pid)
                if fd >= 0 { pidfds.append(fd) }
                Glibc.kill(pid, SIGKILL)
            }
            killed.formUnion(alive)
        }
        wait(pidfds, atMost: limit)
        return killed.sorted()
    }

    /// `pids` for a log line or a reason: "12, 15, 18", or the first `shown` and "and N more"
    /// (a fork storm can leave thousands).
    public static func describe(_ pids: [Int32], shown: Int = 10) -> String {
        let listed = pids.prefix(shown).map(String.init).joined(separator: ", ")
        return pids.count > shown ? "\(listed) and \(pids.count - shown) more" : listed
    }

    /// Waits until the processes `pids`, just sent SIGKILL, have died (exited: gone or a
    /// zombie), for at most `limit`.
    public static func waitForExit(_ pids: [Int32], atMost limit: Duration = .seconds(2)) {
        let pidfds = pids.map(LinuxCalls.pidfdOpen).filter { $0 >= 0 }  // ESRCH: already gone
        defer { for fd in pidfds { close(fd) } }
        wait(pidfds, atMost: limit)
    }

    /// Polls `pidfds` until each is readable (its process exited) or `limit` passes.
    private static func wait(_ pidfds: [Int32], atMost limit: Duration) {
        let deadline = LinuxCalls.monotonicNanoseconds() &+ limit.clampedNanoseconds
        var waiting = pidfds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        while !waiting.isEmpty {
            let now = LinuxCalls.monotonicNanoseconds()
            guard now < deadline else { break }
            let result = poll(&waiting, nfds_t(waiting.count), Int32(clamping: (deadline - now + 999_999) / 1_000_000))
            if result < 0 && errno != EINTR { break }
            waiting.removeAll { $0.revents != 0 }
        }
    }

    private static func readEnvironment(_ pid: pid_t) -> [UInt8]? {
        let fd = open("/proc/\(pid)/environ", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while bytes.count < 4 << 20 {
            let count = read(fd, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return bytes
    }

    /// Whether `/proc/PID/stat` says state `Z` (the field after the parenthesized name).
    private static func isZombie(_ pid: pid_t) -> Bool {
        let fd = open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return true }  // gone
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 1024)
        let count = read(fd, &buffer, buffer.count)
        guard count > 0, let close = buffer[0..<count].lastIndex(of: UInt8(ascii: ")")), close + 2 < count else { return true }
        return buffer[close + 2] == UInt8(ascii: "Z")
    }
}
