// Process spawning throughput: `count` runs of `true`, `parallel` at a time, by several means.
// Compiled by run.sh together with Sources/FlowEngine/Process (so it can use the runner's
// internals) and StepExecutor.swift; FlowCore is linked as a module.
//   spawnbench MODE COUNT PARALLEL
// MODE: raw | runner | runner-subreaper | runner-sh | dispatch  (see run.sh).
// Prints "MODE WALL CPU": wall seconds and this process's own CPU seconds.
import Dispatch
import Glibc
import Synchronization

let arguments = CommandLine.arguments
guard arguments.count == 4, let count = Int(arguments[2]), let parallel = Int(arguments[3]) else {
    print("usage: spawnbench raw|runner|runner-subreaper|runner-sh|dispatch COUNT PARALLEL")
    exit(2)
}
let mode = arguments[1]
let environment = ["PATH": String(cString: getenv("PATH"))]

enum Bench {
    /// Runs `count` jobs keeping `parallel` in flight.
    static func inFlight(count: Int, parallel: Int, _ job: @escaping @Sendable () async -> Void) async {
        await withTaskGroup(of: Void.self) { group in
            var started = 0
            while started < min(parallel, count) {
                group.addTask(operation: job)
                started += 1
            }
            while await group.next() != nil {
                if started < count {
                    group.addTask(operation: job)
                    started += 1
                }
            }
        }
    }

    /// The floor: plain posix_spawn of /usr/bin/true (inherited descriptors, no pipes, no process
    /// group) and waitpid(-1), keeping `parallel` children, in one thread — what make does.
    static func raw(count: Int, parallel: Int) {
        var argv: [UnsafeMutablePointer<CChar>?] = [strdup("true"), nil]
        var envp: [UnsafeMutablePointer<CChar>?] = [strdup("PATH=/usr/bin:/bin"), nil]
        var running = 0
        var started = 0
        var status: Int32 = 0
        while started < count || running > 0 {
            while running < parallel && started < count {
                var pid: pid_t = 0
                precondition(posix_spawn(&pid, "/usr/bin/true", nil, nil, &argv, &envp) == 0)
                running += 1
                started += 1
            }
            precondition(wait(&status) > 0)
            running -= 1
        }
    }

    /// The same pipes, process group and pidfd as the runner (`Spawner.spawn`), but waiting with
    /// one DispatchSource per descriptor instead of the runner's epoll thread.
    static func dispatchRun(_ request: ProcessRequest, queue: DispatchQueue) async -> Int32 {
        guard case .success(let process) = Spawner.spawn(request) else { fatalError("spawn failed") }
        return await withCheckedContinuation { continuation in
            let remaining = Mutex(3)
            @Sendable func done() {
                if remaining.withLock({
                    $0 -= 1
                    return $0
                }) == 0 {
                    guard case .exited(let code) = Reaper.reap(pid: process.pid, pidfd: process.pidfd) else { fatalError() }
                    close(process.pidfd)
                    continuation.resume(returning: code)
                }
            }
            for fd in [process.stdout, process.stderr] {
                let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
                source.setEventHandler {
                    var buffer = [UInt8](repeating: 0, count: 4096)
                    while true {
                        let n = read(fd, &buffer, buffer.count)
                        if n > 0 { continue }
                        if n < 0 && errno == EAGAIN { return }
                        source.cancel()
                        return
                    }
                }
                source.setCancelHandler {
                    close(fd)
                    done()
                }
                source.activate()
            }
            let exit = DispatchSource.makeReadSource(fileDescriptor: process.pidfd, queue: queue)
            exit.setEventHandler { exit.cancel() }
            exit.setCancelHandler { done() }
            exit.activate()
        }
    }

}

let started = LinuxCalls.monotonicNanoseconds()
switch mode {
case "raw":
    Bench.raw(count: count, parallel: parallel)
case "runner", "runner-subreaper", "runner-sh":
    if mode == "runner-subreaper" { Reaper.becomeSubreaper() }
    let runner = ProcessRunner()
    let request = ProcessRequest(
        arguments: mode == "runner-sh" ? ["/bin/sh", "-c", "true"] : ShellCommand.arguments(for: "true", shell: nil),
        environment: environment)
    await Bench.inFlight(count: count, parallel: parallel) {
        let result = await runner.run(request) { _ in }
        precondition(result == .exited(0), "\(result)")
    }
case "dispatch":
    let queue = DispatchQueue(label: "spawnbench", attributes: .concurrent)
    let request = ProcessRequest(arguments: ["/usr/bin/true"], environment: environment)
    await Bench.inFlight(count: count, parallel: parallel) {
        let code = await Bench.dispatchRun(request, queue: queue)
        precondition(code == 0)
    }
default:
    print("unknown mode \(mode)")
    exit(2)
}
let seconds = Double(LinuxCalls.monotonicNanoseconds() - started) / 1e9
var usage = rusage()
getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
// Wall seconds, then this process's own CPU seconds (user + system, children excluded).
print("\(mode) \((seconds * 1000).rounded() / 1000) \((cpu * 1000).rounded() / 1000)")
