import FlowCore
import FlowEngine
import Foundation
import Synchronization

/// Runs one external tool of the container kinds (`docker`, `docker compose`,
/// `docker-compose`, `trivy`) under the engine's `ProcessRunner`: the command line is logged,
/// its output streams into the step's log line by line, and standard output can also be
/// captured for parsing.
///
/// Secrets never go into arguments or the environment: a password reaches a tool only
/// through `standardInput`.
struct ToolProcess: Sendable {
    /// What one tool run left behind.
    struct Output: Sendable {
        var termination: ProcessTermination
        /// Standard output when captured, at most `ToolProcess.captureLimit` bytes (lines
        /// joined with `\n`); empty otherwise.
        var stdout: [UInt8]
        /// The last lines of standard error (at most 20), for failure messages.
        var stderrTail: [String]

        var succeeded: Bool { termination == .exited(0) }
        var stdoutText: String { String(decoding: stdout, as: UTF8.self) }

        /// Why the tool failed, in a few words plus its last error line:
        /// `exit status 1: denied: requested access to the resource is denied`.
        var reason: String {
            let status: String
            switch termination {
            case .exited(let code): status = "exit status \(code)"
            case .signaled(let signal): status = "killed by signal \(signal)"
            case .timedOut: status = "timed out"
            case .cancelled: status = "cancelled"
            case .failedToStart(let text): return "could not start: \(text)"
            }
            let last = stderrTail.last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            return last.map { "\(status): \($0.trimmingCharacters(in: .whitespaces))" } ?? status
        }
    }

    /// Captured standard output is cut at this many bytes (8 MiB).
    static let captureLimit = 8 << 20

    var runner: ProcessRunner
    /// The complete environment of every tool process.
    var environment: [String: String]
    var workingDirectory: String
    var log: StepLog
    /// Wall-time limit of one tool run; nil for none (the step's own timeout still applies).
    var timeout: Duration?

    /// Runs `arguments` to completion.
    ///
    /// - Parameters:
    ///   - standardInput: bytes written to the tool's standard input (a password), never logged.
    ///   - capture: keep standard output in `Output.stdout`.
    ///   - echo: copy standard output into the log (standard error always is).
    ///   - environment: variables added to (or replacing) `self.environment` for this run.
    /// - Returns: how the tool ended; a non-zero exit is returned, not thrown.
    /// - Throws: `CancellationError` when the step was cancelled.
    func run(
        _ arguments: [String], standardInput: [UInt8]? = nil, capture: Bool = false, echo: Bool = true,
        environment extra: [String: String] = [:]
    ) async throws -> Output {
        log.write("$ " + Self.display(arguments))
        var environment = self.environment
        for (name, value) in extra { environment[name] = value }
        let request = ProcessRequest(
            arguments: arguments, environment: environment, workingDirectory: workingDirectory,
            timeout: timeout, standardInput: standardInput)
        let collected = Collected()
        let log = self.log
        let termination = await runner.run(request) { lines in
            for line in lines {
                if line.stream == .stdout {
                    if capture { collected.appendStdout(line) }
                    if echo { log.write(bytes: line.bytes, stream: .stdout, continued: line.isContinued) }
                } else {
                    collected.appendStderr(line)
                    log.write(bytes: line.bytes, stream: line.stream, continued: line.isContinued)
                }
            }
        }
        if termination == .cancelled { throw CancellationError() }
        let (stdout, tail) = collected.take()
        return Output(termination: termination, stdout: stdout, stderrTail: tail)
    }

    /// The command line as shown in the log: words with spaces or quotes are single-quoted.
    static func display(_ arguments: [String]) -> String {
        arguments.map { word in
            let plain =
                !word.isEmpty
                && word.allSatisfy { c in
                    c.isLetter || c.isNumber || "-_./:=@%+,".contains(c)
                }
            return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }

    /// Output collected from the runner's callback (called from one task at a time, but the
    /// closure must be `Sendable`, hence the mutex).
    private final class Collected: Sendable {
        private struct State {
            var stdout: [UInt8] = []
            var stdoutOpenLine = false
            var stderr: [String] = []
            var stderrPiece: [UInt8] = []
        }
        private let state = Mutex(State())

        func appendStdout(_ line: OutputLine) {
            state.withLock { s in
                guard s.stdout.count < ToolProcess.captureLimit else { return }
                s.stdout.append(contentsOf: line.bytes.prefix(ToolProcess.captureLimit - s.stdout.count))
                if !line.isContinued { s.stdout.append(10) }
            }
        }

        func appendStderr(_ line: OutputLine) {
            state.withLock { s in
                if s.stderrPiece.count < 4096 { s.stderrPiece.append(contentsOf: line.bytes.prefix(4096)) }
                guard !line.isContinued else { return }
                s.stderr.append(String(decoding: s.stderrPiece, as: UTF8.self))
                s.stderrPiece = []
                if s.stderr.count > 20 { s.stderr.removeFirst(s.stderr.count - 20) }
            }
        }

        func take() -> ([UInt8], [String]) {
            state.withLock { s in
                var out = s.stdout
                if out.last == 10 { out.removeLast() }
                return (out, s.stderr)
            }
        }
    }
}
