import Foundation
import Testing

/// A fake HTTP server from a committed Python script (Fixtures), started on 127.0.0.1 for one
/// test: the script prints its port on the first line of stdout and appends one JSON line per
/// request to a log file. The script exits when its stdin closes: `stop()` closes it (no waiting:
/// Foundation reaps the child), and so does the end of the test process.
final class FakeServer {
    let process: Process
    let port: Int
    let logPath: String
    private let input: Pipe

    private init(process: Process, port: Int, logPath: String, input: Pipe) {
        self.process = process
        self.port = port
        self.logPath = logPath
        self.input = input
    }

    /// Starts `python3 <script> --log <file> <arguments>`. Returns nil, after reporting it
    /// (`VectorFixtures.unavailable`: a failure in CI, a skip locally), when python3 or a Python
    /// package the script needs is missing (the script then exits, writing `MISSING …` to stderr).
    static func start(script: String, _ arguments: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) throws -> FakeServer? {
        let logPath = try VectorFixtures.scratchDirectory("fake-server") + "/requests.jsonl"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--log", logPath] + arguments
        let input = Pipe(), out = Pipe(), err = Pipe()
        process.standardInput = input
        process.standardOutput = out
        process.standardError = err
        do {
            try process.run()
        } catch {
            VectorFixtures.unavailable("cannot start python3 for \(script): \(error)", sourceLocation: sourceLocation)
            return nil
        }
        var line = Data()
        let reader = out.fileHandleForReading
        while !line.contains(0x0A) {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            // stdout closed without a port: the script exited; its stderr says why.
            let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            if message.hasPrefix("MISSING") {
                VectorFixtures.unavailable(message.trimmingCharacters(in: .whitespacesAndNewlines), sourceLocation: sourceLocation)
                return nil
            }
            throw FakeServerError(message: "\(script) did not start: \(message)")
        }
        return FakeServer(process: process, port: port, logPath: logPath, input: input)
    }

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// The requests logged so far, in order.
    func requests() throws -> [[String: Any]] {
        guard let data = FileManager.default.contents(atPath: logPath) else { return [] }
        return try data.split(separator: 0x0A).map { try JSONSerialization.jsonObject(with: Data($0)) as! [String: Any] }
    }

    func stop() {
        try? input.fileHandleForWriting.close()
    }

    deinit { stop() }
}

struct FakeServerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
