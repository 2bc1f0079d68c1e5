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
