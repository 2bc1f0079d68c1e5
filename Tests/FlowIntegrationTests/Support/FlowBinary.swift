import Foundation

/// Runs the built `flow` executable in a temporary project folder, as a user would.
struct FlowProject {
    let root: String

    init() throws {
        root = NSTemporaryDirectory() + "flow-it-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: root + "/Workflows", withIntermediateDirectories: true)
    }

    /// The `flow` binary next to the test bundle (SwiftPM builds it with the tests).
    static var binary: String {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("flow").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        // `swift test` puts the bundle in .build/<triple>/debug; the binary sits beside it.
        let build = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(".build/debug/flow").path
        return build
    }

    var databasePath: String { root + "/.flow/flow.db" }

    func write(_ relative: String, _ text: String) throws {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func read(_ relative: String) -> String? {
        try? String(contentsOfFile: root + "/" + relative, encoding: .utf8)
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var stdoutBytes: Data
    }

    /// Runs `flow ARGS` under GNU time (`-f %M`: peak RSS in KiB as the last stderr line).
    func run(_ arguments: [String], viaTime time: String) throws -> Result {
        let (process, out, err) = try start(arguments, wrapper: [time, "-f", "%M"])
        return Self.finish(process, out, err)
    }

    /// Starts `flow ARGS` in the project folder (through `wrapper` when given).
    func start(_ arguments: [String], environment: [String: String] = [:], wrapper: [String] = []) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        if let tool = wrapper.first {
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = Array(wrapper.dropFirst()) + [Self.binary] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: Self.binary)
            process.arguments = arguments
        }
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        var env = ProcessInfo.processInfo.environment
        env["GITHUB_ACTIONS"] = nil
        env["GITHUB_STEP_SUMMARY"] = nil
        env["CI"] = nil
        env["FLOW_DB"] = nil
        env["NO_COLOR"] = "1"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, out, err)
    }

    /// Runs `flow ARGS` to completion and returns its exit status and output.
    @discardableResult
    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let (process, out, err) = try start(arguments, environment: environment)
        return Self.finish(process, out, err)
    }

    static func finish(_ process: Process, _ out: Pipe, _ err: Pipe) -> Result {
        // Read both pipes to EOF at once so a full pipe never blocks the child.
        let box = DataBox()
        let done = DispatchSemaphore(value: 0)
        Thread {
            box.data = err.fileHandleForReading.readDataToEndOfFile()
            done.signal()
        }.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        done.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: box.data, as: UTF8.self), stdoutBytes: outData)
    }

    /// Opens a FIFO at `relative` and returns a handle to read what a step writes to it; the
    /// read blocks until the step writes (waiting on the event, not on time).
    func makeFIFO(_ relative: String) -> String {
        let path = root + "/" + relative
        mkfifo(path, 0o600)
        return path
    }
}

/// Whether process `pid` exists (kill(pid, 0) == 0, or EPERM).
func processExists(_ pid: Int32) -> Bool {
    kill(pid, 0) == 0 || errno == EPERM
}

/// True when `pid` is gone or a zombie (dead, waiting for whoever inherited it to reap it —
/// after flow exits that is init, which may take its time): `/proc/PID/stat`'s state field.
func processIsDead(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
    return stat.split(separator: ")").last?.dropFirst().first == "Z"
}

/// Holds what a reader thread read; the semaphore orders the write before the read.
final class DataBox: @unchecked Sendable {
    var data = Data()
}

/// Reads a FIFO to end of file: blocks until a writer opens it, returns once it closes.
func readFIFO(_ path: String) -> String {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return "" }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = read(fd, &buffer, buffer.count)
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        bytes += buffer[0..<n]
    }
    return String(decoding: bytes, as: UTF8.self)
}
