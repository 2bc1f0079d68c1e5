import FlowDaemon
import FlowRuntime
import FlowScheduler
import Foundation
import Glibc
import Logging
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A temporary project folder with `Workflows/`.
struct TempProject {
    let root: String

    init() throws {
        root = NSTemporaryDirectory() + "flow-daemon-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: root + "/Workflows", withIntermediateDirectories: true)
    }

    var databasePath: String { root + "/.flow/flow.db" }

    func write(_ relative: String, _ text: String) throws {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        // Write then rename, as editors do, so the watcher never sees half a file.
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func makeFIFO(_ relative: String) -> String {
        let path = root + "/" + relative
        mkfifo(path, 0o600)
        return path
    }

    var project: Project { Project(root: root, databasePath: databasePath, environment: [:]) }
}

/// Log messages as a stream, so tests wait for what the daemon says it did.
struct StreamLogHandler: LogHandler {
    let sink: AsyncStream<String>.Continuation
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let meta = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        sink.yield("\(event.message) \(meta)")
    }

    static func make() -> (Logger, AsyncStream<String>) {
        let (stream, sink) = AsyncStream<String>.makeStream()
        return (Logger(label: "test") { _ in StreamLogHandler(sink: sink) }, stream)
    }
}

/// Waits for the first element of `stream` that satisfies `predicate`, at most `limit`; nil
/// when the limit passes first (the limit only bounds a failing test, nothing waits on it).
func first<T: Sendable>(
    _ stream: AsyncStream<T>, within limit: Duration = .seconds(60), where predicate: @escaping @Sendable (T) -> Bool
) async -> T? {
    await withTaskGroup(of: T?.self) { group in
        group.addTask {
            for await element in stream where predicate(element) { return element }
            return nil
        }
        group.addTask {
            try? await Task.sleep(for: limit)
            return nil
        }
        let result = await group.next() ?? nil
        group.cancelAll()
        return result
    }
}

/// One HTTP request to a daemon on loopback.
func http(_ method: String, _ url: String, token: String? = nil, body: String? = nil) async throws -> (Int, [String: Any], String) {
    var request = URLRequest(url: URL(string: url)!)
    request.httpMethod = method
    if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
    if let body { request.httpBody = Data(body.utf8) }
    let (data, response) = try await URLSession.shared.data(for: request)
    let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    return ((response as! HTTPURLResponse).statusCode, json, String(decoding: data, as: UTF8.self))
}

/// Runs `sqlite3` on a database file: an independent reader of what the daemon wrote.
func sqlite(_ path: String, _ sql: String) throws -> [[String]] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    process.arguments = ["-readonly", "-separator", "\u{1F}", "-newline", "\u{1E}", path, sql]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).split(separator: "\u{1E}").map {
        $0.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
    }
}

/// Opens `fifo` for reading and returns what the first writer writes, or nil after `seconds`
/// without a writer (a bound for a failing test; the wait is on the event).
func readFIFO(_ fifo: String, seconds: Int32) -> String? {
    let fd = open(fifo, O_RDONLY | O_NONBLOCK)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    guard poll(&pfd, 1, seconds * 1000) == 1 else { return nil }
    var bytes = [UInt8](repeating: 0, count: 256)
    let n = Glibc.read(fd, &bytes, bytes.count)
    return n > 0 ? String(decoding: bytes[0..<n], as: UTF8.self) : nil
}

/// A real `flow daemon` process (the binary `swift test` built beside the test bundle) and its
/// standard error, line by line.
final class DaemonProcess: @unchecked Sendable {
    // @unchecked: `process` is set in init and only read after; the pipe's reader thread
    // writes nothing but the stream continuation, which is Sendable.
    let process = Process()
    let lines: AsyncStream<String>

    /// The `flow` executable SwiftPM built beside the test bundle.
    static var binary: String {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("flow").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/flow").path
    }

    /// Starts `flow daemon -C project --listen 127.0.0.1:0 --grace grace`, through `launcher`
    /// when given (a command that runs the rest of its arguments, such as `unshare … --`), with
    /// `environment` added to this process's.
    init(project: String, grace: String, launcher: [String] = [], environment extra: [String: String] = [:]) throws {
        let arguments = [Self.binary, "daemon", "-C", project, "--listen", "127.0.0.1:0", "--grace", grace, "--log-level", "info"]
        let command = launcher + arguments
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        var environment = ProcessInfo.processInfo.environment
        environment["FLOW_DB"] = nil
        environment["FLOW_TOKEN"] = nil
        environment["FLOW_KILL_GRACE"] = "1s"
        environment.merge(extra) { $1 }
        process.environment = environment
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let (lines, sink) = AsyncStream<String>.makeStream()
        self.lines = lines
        let handle = err.fileHandleForReading
        Thread {
            var buffer = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                buffer.append(chunk)
                while let newline = buffer.firstIndex(of: 0x0A) {
                    sink.yield(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
                    buffer.removeSubrange(buffer.startIndex...newline)
                }
            }
            sink.finish()
        }.start()
        try process.run()
    }

    /// The port of the daemon's "listening on http://127.0.0.1:PORT" line; nil when the daemon
    /// ends or a minute passes first.
    func port() async -> Int? {
        guard let line = await first(lines, within: .seconds(60), where: { $0.contains("listening on http://") }) else { return nil }
        return line.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) }
    }

    /// Waits for the process to exit, at most `limit` (a bound for a failing test); true when
    /// it exited.
    func exited(within limit: Duration) async -> Bool {
        let process = process
        return await eventually(within: limit) { !process.isRunning }
    }
}

/// One process as `/proc/<pid>/stat` shows it (proc(5)): state letter, parent, process group.
struct ProcStat: Equatable {
    var pid: pid_t
    var command: String
    var state: Character
    var parent: pid_t
    var group: pid_t

    init?(_ pid: pid_t) {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")")
        else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 2, let state = fields[0].first, let parent = pid_t(fields[1]), let group = pid_t(fields[2]) else { return nil }
        self.pid = pid
        command = String(text[text.index(after: open)..<close])
        self.state = state
        self.parent = parent
        self.group = group
    }

    /// Every process in this PID namespace's /proc.
    static func all() -> [ProcStat] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { pid_t($0) }.compactMap(ProcStat.init)
    }
}

/// Processes of group `group` that are alive (not zombies), from /proc.
func liveMembers(ofGroup group: pid_t) -> [pid_t] {
    ProcStat.all().filter { $0.group == group && $0.state != "Z" }.map(\.pid)
}

/// Checks `condition` until it holds (true) or `limit` passes (false), at 20 ms steps: for
/// state another process changes (a database it writes, /proc), which sends no event here.
func eventually(within limit: Duration, _ condition: () throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try condition()
}
