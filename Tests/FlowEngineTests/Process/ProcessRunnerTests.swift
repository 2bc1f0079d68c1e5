import Glibc
import Synchronization
import Testing

@testable import FlowEngine

@Suite("Process runner: exit, output, input, environment")
struct ProcessRunnerTests {
    init() {
        Reaper.becomeSubreaper()
    }

    // Expected statuses: POSIX `exit n` reports n (0...255).
    @Test("the exit status is reported", arguments: [0, 1, 2, 42, 255])
    func exitStatus(code: Int32) async {
        let (termination, _) = await ProcessFixture.run(ProcessFixture.shell("exit \(code)"))
        #expect(termination == .exited(code))
    }

    // Signal numbers of Linux x86-64/arm64: SIGUSR1 10, SIGKILL 9, SIGTERM 15 (signal(7)).
    @Test("a process killed by a signal reports the signal", arguments: [SIGKILL, SIGTERM, SIGUSR1])
    func signaled(signal: Int32) async {
        let (termination, _) = await ProcessFixture.run(ProcessFixture.shell("kill -\(signal) $$"))
        #expect(termination == .signaled(signal))
    }

    @Test("stdout and stderr arrive separately, each in order, the unterminated last line included")
    func separateStreams() async {
        let (termination, output) = await ProcessFixture.run(
            ProcessFixture.shell("echo out1; echo err1 >&2; echo out2; echo err2 >&2; printf tail"))
        #expect(termination == .exited(0))
        #expect(output.text(.stdout) == ["out1", "out2", "tail"])
        #expect(output.text(.stderr) == ["err1", "err2"])
    }

    @Test("bytes that are not UTF-8 are delivered exactly; \\r before \\n is kept; empty lines count")
    func invalidUTF8() async {
        // printf(1) octal escapes: \377 = 0xFF, \376 = 0xFE, \200 = 0x80, \015 = \r.
        let (termination, output) = await ProcessFixture.run(
            ProcessRequest(arguments: ["printf", "\\377\\376abc\\200\\n\\nx\\015\\n"], environment: ProcessFixture.environment))
        #expect(termination == .exited(0))
        #expect(output.lines.map(\.bytes) == [[0xFF, 0xFE, 0x61, 0x62, 0x63, 0x80], [], [0x78, 0x0D]])
    }

    @Test("100 MB of output streams through in bounded batches")
    func hugeOutput() async {
        // `yes` repeats its 999-byte argument and a newline; `head -c` keeps 10^8 bytes:
        // 10^8 / 1000 = 100,000 complete lines.
        let line = String(repeating: "x", count: 999)
        let counts = Counts()
        let termination = await ProcessRunner().run(ProcessFixture.shell("yes \"$1\" | head -c 100000000", line)) { lines in
            counts.add(lines, expected: Array(line.utf8))
        }
        #expect(termination == .exited(0))
        let (lineCount, wrong, batches, largestBatch) = counts.snapshot
        #expect(lineCount == 100_000)
        #expect(wrong == 0)
        // Delivered per 64 KiB read, never accumulated: a batch holds at most one read plus the
        // unfinished line carried over (≤ maxLineBytes), so 10^8 bytes need > 10^8 / 128 Ki batches.
        #expect(largestBatch <= 2 * 64 * 1024)
        #expect(batches > 100_000_000 / (128 * 1024))
    }

    @Test("a 10 MiB line without a newline arrives in maxLineBytes pieces")
    func longLine() async {
        // 10 MiB = 10,485,760 bytes = 160 pieces of 65,536 (the default maxLineBytes).
        let (termination, output) = await ProcessFixture.run(
            ProcessFixture.shell("head -c 10485760 /dev/zero | tr '\\0' y"))
        #expect(termination == .exited(0))
        let pieces = output.lines
        #expect(pieces.count == 160)
        #expect(pieces.allSatisfy { $0.bytes.count == 65_536 && $0.bytes.allSatisfy { $0 == UInt8(ascii: "y") } })
        #expect(pieces.dropLast().allSatisfy { $0.isContinued })
        #expect(pieces.last?.isContinued == false)
    }

    @Test("standard input is delivered and closed; nil input reads as empty")
    func standardInput() async {
        var request = ProcessRequest(arguments: ["cat"], environment: ProcessFixture.environment)
        request.standardInput = Array("hello\nworld".utf8)
        let (termination, output) = await ProcessFixture.run(request)
        #expect(termination == .exited(0))
        #expect(output.text(.stdout) == ["hello", "world"])

        let (empty, nothing) = await ProcessFixture.run(ProcessRequest(arguments: ["wc", "-c"], environment: ProcessFixture.environment))
        #expect(empty == .exited(0))
        #expect(nothing.text(.stdout) == ["0"])
    }

    @Test("input larger than the pipe streams while output is read")
    func largeInput() async {
        // 16,384 lines of 63 bytes + newline = 1 MiB, 16 times the 64 KiB pipe capacity.
        let line = String(repeating: "abcdefg", count: 9)  // 63 bytes
        var request = ProcessRequest(arguments: ["cat"], environment: ProcessFixture.environment)
        request.standardInput = Array(String(repeating: line + "\n", count: 16_384).utf8)
        let (termination, output) = await ProcessFixture.run(request)
        #expect(termination == .exited(0))
        let lines = output.text(.stdout)
        #expect(lines.count == 16_384)
        #expect(lines.allSatisfy { $0 == line })
    }

    @Test("input the process never reads does not hang or kill the runner")
    func unreadInput() async {
        var request = ProcessRequest(arguments: ["true"], environment: ProcessFixture.environment)
        request.standardInput = [UInt8](repeating: 0x61, count: 1 << 20)
        let (termination, _) = await ProcessFixture.run(request)
        #expect(termination == .exited(0))
    }

    @Test("a missing executable, directory or permission fails to start with the errno text")
    func failedToStart() async {
        // Texts: glibc's strerror for ENOENT and EACCES.
        let missing = await ProcessFixture.run(ProcessRequest(arguments: ["flow-no-such-command"], environment: ProcessFixture.environment))
        #expect(missing.0 == .failedToStart("No such file or directory: 'flow-no-such-command'"))

        let noDirectory = await ProcessFixture.run(
            ProcessRequest(arguments: ["true"], environment: ProcessFixture.environment, workingDirectory: "/flow-no-such-directory"))
        #expect(noDirectory.0 == .failedToStart("No such file or directory: working directory '/flow-no-such-directory'"))

        // /etc/passwd is mode 0644: no execute bit for anyone, root included.
        let notExecutable = await ProcessFixture.run(ProcessRequest(arguments: ["/etc/passwd"], environment: ProcessFixture.environment))
        #expect(notExecutable.0 == .failedToStart("Permission denied: '/etc/passwd'"))

        let empty = await ProcessFixture.run(ProcessRequest(arguments: [], environment: ProcessFixture.environment))
        #expect(empty.0 == .failedToStart("Invalid argument: empty argument list"))
    }

    @Test("the environment is exactly the request's, and the working directory is honoured")
    func environmentAndDirectory() async {
        let directory = ProcessFixture.temporaryDirectory()
        defer { rmdir(directory) }
        var request = ProcessFixture.shell("echo \"$GREETING\"; echo \"${HOME-unset}\"; pwd -P")
        request.environment["GREETING"] = "hello there"
        request.workingDirectory = directory
        let (termination, output) = await ProcessFixture.run(request)
        #expect(termination == .exited(0))
        #expect(output.text(.stdout) == ["hello there", "unset", directory])
    }

    @Test("the program is looked up in the request's PATH; a script without #! runs with /bin/sh")
    func pathLookup() async {
        let directory = ProcessFixture.temporaryDirectory()
        let tool = directory + "/flow-test-tool"
        let bare = directory + "/flow-test-bare"
        ProcessFixture.write("#!/bin/sh\necho found \"$@\"\n", to: tool, mode: 0o755)
        ProcessFixture.write("echo bare \"$1\"\n", to: bare, mode: 0o755)
        defer {
            unlink(tool)
            unlink(bare)
            rmdir(directory)
        }
        let environment = ["PATH": directory + ":/usr/bin:/bin"]
        let (found, output) = await ProcessFixture.run(ProcessRequest(arguments: ["flow-test-tool", "a b"], environment: environment))
        #expect(found == .exited(0))
        #expect(output.text(.stdout) == ["found a b"])

        let (ran, bareOutput) = await ProcessFixture.run(ProcessRequest(arguments: ["flow-test-bare", "x"], environment: environment))
        #expect(ran == .exited(0))
        #expect(bareOutput.text(.stdout) == ["bare x"])

        // Not in this PATH, though it is in the test process's.
        let (missing, _) = await ProcessFixture.run(ProcessRequest(arguments: ["flow-test-tool"], environment: ["PATH": "/usr/bin:/bin"]))
        #expect(missing == .failedToStart("No such file or directory: 'flow-test-tool'"))
    }

    @Test("the child leads its own process group, with no signal blocked or ignored")
    func groupAndSignals() async {
        // Ignore SIGUSR2 here (nothing in the tests uses it) so that inheritance would show.
        signal(SIGUSR2, SIG_IGN)
        let (termination, output) = await ProcessFixture.run(
            ProcessRequest(arguments: ["grep", "-E", "^(SigBlk|SigIgn):", "/proc/self/status"], environment: ProcessFixture.environment))
        #expect(termination == .exited(0))
        // proc(5): hexadecimal masks of blocked and ignored signals.
        #expect(output.text(.stdout) == ["SigBlk:\t0000000000000000", "SigIgn:\t0000000000000000"])

        // proc(5) /proc/PID/stat: field 1 is the pid, field 5 the process group.
        let (_, ids) = await ProcessFixture.run(ProcessFixture.shell("cut -d' ' -f1,5 /proc/$$/stat"))
        let fields = ids.text(.stdout).first?.split(separator: " ").compactMap { pid_t($0) } ?? []
        #expect(fields.count == 2)
        #expect(fields.first == fields.last)
        #expect(fields.last != getpgrp())
    }

    @Test("descriptors of this process do not leak into the child")
    func descriptorsClosed() async {
        let leaked = open("/dev/null", O_RDONLY)  // deliberately without O_CLOEXEC
        defer { close(leaked) }
        let (termination, output) = await ProcessFixture.run(ProcessFixture.shell("ls /proc/$$/fd"))
        #expect(termination == .exited(0))
        let open = output.text(.stdout)
        #expect(open.starts(with: ["0", "1", "2"]))
        #expect(!open.contains(String(leaked)))
    }

    @Test("200 processes at once each get their own output and status")
    func manyConcurrent() async {
        let runner = ProcessRunner()
        let results = await withTaskGroup(of: (Int, ProcessTermination, [String]).self) { group in
            for index in 0..<200 {
                group.addTask {
                    let (termination, output) = await ProcessFixture.run(
                        ProcessFixture.shell("echo $1; exit $(($1 % 7))", String(index)), on: runner)
                    return (index, termination, output.text(.stdout))
                }
            }
            var all: [(Int, ProcessTermination, [String])] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 200)
        for (index, termination, lines) in results {
            #expect(termination == .exited(Int32(index % 7)))
            #expect(lines == [String(index)])
        }
    }
}

/// Counts lines of the huge-output test without keeping them.
private final class Counts: Sendable {
    private let state = Mutex<(lines: Int, wrong: Int, batches: Int, largest: Int)>((0, 0, 0, 0))

    func add(_ lines: [OutputLine], expected: [UInt8]) {
        let bytes = lines.reduce(0) { $0 + $1.bytes.count }
        let wrong = lines.count { $0.bytes != expected || $0.isContinued || $0.stream != .stdout }
        state.withLock {
            $0.lines += lines.count
            $0.wrong += wrong
            $0.batches += 1
            $0.largest = max($0.largest, bytes)
        }
    }

    var snapshot: (Int, Int, Int, Int) { state.withLock { ($0.lines, $0.wrong, $0.batches, $0.largest) } }
}
