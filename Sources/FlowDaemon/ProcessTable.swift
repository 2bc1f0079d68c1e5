import Foundation
import Glibc

/// What Linux's `/proc` says about processes (proc(5)): start times, process groups, their
/// executables and arguments. (Processes found by their environment: `LeftoverProcesses`.)
enum ProcessTable {
    /// One process as `/proc/<pid>/stat` describes it.
    struct Entry: Equatable {
        var pid: pid_t
        /// One-letter state: `R`, `S`, `D`, `Z` (zombie), `T`…
        var state: Character
        var processGroup: pid_t
        /// Wall-clock start time, from `starttime` (field 22, clock ticks after boot) and
        /// `btime` in `/proc/stat`.
        var startedAt: Date
    }

    /// The process `pid`, or nil when it does not exist.
    static func entry(_ pid: pid_t) -> Entry? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name (which may hold spaces and parentheses): state is
        // field 3, pgrp field 5, starttime field 22.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let state = fields[0].first, let group = pid_t(fields[2]), let ticks = Double(fields[19]),
            let boot = bootTime
        else { return nil }
        return Entry(pid: pid, state: state, processGroup: group, startedAt: Date(timeIntervalSince1970: boot + ticks / clockTicks))
    }

    /// Every process's id.
    static func allPIDs() -> [pid_t] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { pid_t($0) }
    }

    /// Processes (not zombies) in group `group`.
    static func members(ofGroup group: pid_t) -> [Entry] {
        allPIDs().compactMap(entry).filter { $0.processGroup == group && $0.state != "Z" }
    }

    /// Whether `pid` runs flow: its executable (`/proc/PID/exe`) is this process's, or is
    /// named `flow…`. True when that cannot be read (another user's process): when in doubt, a
    /// process is taken for a run's owner, never for a leftover.
    static func runsFlow(_ pid: pid_t) -> Bool {
        func executable(_ pid: String) -> String? {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink("/proc/\(pid)/exe", &buffer, buffer.count - 1)
            guard count > 0 else { return nil }
            let path = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return path.hasSuffix(" (deleted)") ? String(path.dropLast(10)) : path  // replaced since it started
        }
        guard let theirs = executable(String(pid)) else { return true }
        if theirs == executable("self") { return true }
        return (theirs.split(separator: "/").last ?? "").hasPrefix("flow")
    }

    /// The arguments `pid` was started with (`/proc/PID/cmdline`), the program first.
    static func arguments(_ pid: pid_t) -> [String] {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return [] }
        return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether `pid` exists and is not a zombie.
    static func isAlive(_ pid: pid_t) -> Bool {
        entry(pid).map { $0.state != "Z" } ?? false
    }

    static let clockTicks = Double(sysconf(Int32(_SC_CLK_TCK)))

    /// Boot time in seconds since 1970 (`btime` in `/proc/stat`).
    static let bootTime: Double? = {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }()
}
