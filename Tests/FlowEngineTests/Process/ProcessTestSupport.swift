import Glibc
import Synchronization

@testable import FlowEngine

/// What `onOutput` delivered during one run, in arrival order.
final class OutputRecorder: Sendable {
    private let batches = Mutex<[[OutputLine]]>([])
    private let lineStream: AsyncStream<String>.Continuation
    /// Each complete stdout line as text, as soon as it arrives (for handshakes with a child).
    let stdoutLines: AsyncStream<String>

    init() {
        (stdoutLines, lineStream) = AsyncStream<String>.makeStream()
    }

    var onOutput: @Sendable ([OutputLine]) -> Void {
        { [self] lines in
            batches.withLock { $0.append(lines) }
            for line in lines where line.stream == .stdout && !line.isContinued {
                lineStream.yield(String(decoding: line.bytes, as: UTF8.self))
            }
        }
    }

    var lines: [OutputLine] { batches.withLock { $0.flatMap { $0 } } }

    /// The lines of `stream` as text (pieces of long lines joined).
    func text(_ stream: StepLog.Stream) -> [String] {
        var result: [String] = []
        var current: [UInt8] = []
        for line in lines where line.stream == stream {
            current += line.bytes
            if !line.isContinued {
                result.append(String(decoding: current, as: UTF8.self))
                current = []
            }
        }
        return result
    }
}

enum ProcessFixture {
    static let environment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "LC_ALL": "C"]

    /// `/bin/sh -c script` with `$1`, `$2`… set to `arguments`.
    static func shell(_ script: String, _ arguments: String..., timeout: Duration? = nil, killGrace: Duration = .seconds(5))
        -> ProcessRequest
    {
        ProcessRequest(
            arguments: ["/bin/sh", "-c", script, "sh"] + arguments, environment: environment, timeout: timeout,
            killGrace: killGrace)
    }

    static func run(_ request: ProcessRequest, on runner: ProcessRunner = ProcessRunner()) async -> (ProcessTermination, OutputRecorder) {
        let recorder = OutputRecorder()
        let termination = await runner.run(request, onOutput: recorder.onOutput)
        return (termination, recorder)
    }

    /// True when no process (not even a zombie) has this pid.
    static func isGone(_ pid: pid_t) -> Bool {
        kill(pid, 0) == -1 && errno == ESRCH
    }

    /// A new empty directory, with symbolic links resolved.
    static func temporaryDirectory() -> String {
        var template = Array("/tmp/flow-process-tests-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            preconditionFailure("mkdtemp failed")
        }
        let path = String(cString: made)
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func write(_ text: String, to path: String, mode: mode_t) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        precondition(fd >= 0, "cannot create \(path)")
        _ = text.utf8CString.withUnsafeBufferPointer { Glibc.write(fd, $0.baseAddress, $0.count - 1) }
        close(fd)
    }

    static func monotonicSeconds() -> Double {
        Double(LinuxCalls.monotonicNanoseconds()) / 1e9
    }
}
