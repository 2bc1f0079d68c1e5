import Glibc
import Synchronization

/// A process just started by `Spawner`, with the parent's ends of its pipes.
struct SpawnedProcess {
    /// Also the process group id: the child leads its own group.
    var pid: pid_t
    var pidfd: Int32
    /// Read ends, non-blocking and close-on-exec.
    var stdout: Int32
    var stderr: Int32
    /// The write end of standard input, non-blocking; -1 when standard input is `/dev/null`
    /// or everything already fit into the pipe.
    var stdin: Int32
    /// Input still to be written to `stdin`.
    var pendingInput: ArraySlice<UInt8>
}

/// Starts processes with `posix_spawn` (glibc implements it with `clone(CLONE_VM|CLONE_VFORK)`,
/// so the cost does not grow with this process's memory).
///
/// The child gets: its own process group (`POSIX_SPAWN_SETPGROUP`, pgid = pid); an empty signal
/// mask and default dispositions for every signal (`POSIX_SPAWN_SETSIGMASK`/`SETSIGDEF`:
/// nothing ignored or blocked here leaks into it); standard input from `/dev/null` or a pipe;
/// standard output and error to two pipes; every other descriptor closed
/// (`posix_spawn_file_actions_addclosefrom_np(3)`, on top of `O_CLOEXEC` everywhere).
enum Spawner {
    struct Failure: Error {
        var message: String
    }

    static func spawn(_ request: ProcessRequest) -> Result<SpawnedProcess, Failure> {
        guard let name = request.arguments.first else {
            return .failure(Failure(message: "\(LinuxCalls.errorText(EINVAL)): empty argument list"))
        }
        let searchPath = request.environment["PATH"]
        // A name found before is executed without looking at the file again; if it has gone
        // (the spawn fails with ENOENT, EACCES or ENOTDIR), it is searched for afresh below.
        let known = remembered(name, searchPath: searchPath, workingDirectory: request.workingDirectory)
        var executable: String
        if let known {
            executable = known
        } else {
            let (found, searchError) = resolve(name, searchPath: searchPath, workingDirectory: request.workingDirectory)
            guard let found else { return .failure(failure(searchError, request)) }
            executable = found
        }

        var stdout = (Int32(-1), Int32(-1))
        var stderr = (Int32(-1), Int32(-1))
        var stdin = (Int32(-1), Int32(-1))
        func closeAll() {
            for fd in [stdout.0, stdout.1, stderr.0, stderr.1, stdin.0, stdin.1] where fd >= 0 { close(fd) }
        }
        guard LinuxCalls.pipe(&stdout, flags: O_CLOEXEC) == 0, LinuxCalls.pipe(&stderr, flags: O_CLOEXEC) == 0 else {
            let code = errno
            closeAll()
            return .failure(failure(code, request))
        }
        // Only the parent's ends are non-blocking (each end is its own open file description).
        _ = fcntl(stdout.0, F_SETFL, O_NONBLOCK)
        _ = fcntl(stderr.0, F_SETFL, O_NONBLOCK)
        var pendingInput: ArraySlice<UInt8> = []
        if let input = request.standardInput {
            guard LinuxCalls.pipe(&stdin, flags: O_CLOEXEC) == 0 else {
                let code = errno
                closeAll()
                return .failure(failure(code, request))
            }
            _ = fcntl(stdin.1, F_SETFL, O_NONBLOCK)
            // Fill the pipe before the child exists: no reader can go away yet (no SIGPIPE), and
            // input up to the pipe's capacity (64 KiB) needs no event loop at all.
            pendingInput = input[...]
            while !pendingInput.isEmpty {
                let written = pendingInput.withUnsafeBytes { write(stdin.1, $0.baseAddress, $0.count) }
                if written > 0 {
                    pendingInput = pendingInput.dropFirst(written)
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            if pendingInput.isEmpty {
                close(stdin.1)
                stdin.1 = -1
            }
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if stdin.0 >= 0 {
            posix_spawn_file_actions_adddup2(&actions, stdin.0, STDIN_FILENO)
        } else {
            posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, stdout.1, STDOUT_FILENO)
        posix_spawn_file_actions_adddup2(&actions, stderr.1, STDERR_FILENO)
        if let directory = request.workingDirectory {
            let code = LinuxCalls.addChdir(&actions, directory)
            guard code == 0 else {
                closeAll()
                return .failure(failure(code, request))
            }
        }
        _ = LinuxCalls.addCloseFrom(&actions, 3)  // ENOSYS on glibc < 2.34: O_CLOEXEC still holds

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        // Signals 1...64 (the kernel's _NSIG - 1). Not `sigfillset`: it leaves out glibc's
        // internal signals 32 and 33, which glibc's spawn would then leave ignored in the child.
        var allSignals = sigset_t()
        withUnsafeMutableBytes(of: &allSignals) { $0.storeBytes(of: UInt64.max, toByteOffset: 0, as: UInt64.self) }
        posix_spawnattr_setsigdefault(&attributes, &allSignals)

        let environment = request.environment.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        func spawn(_ path: String, _ arguments: [String]) -> Int32 {
            withCStringArray(arguments) { argv in
                withCStringArray(environment) { envp in posix_spawn(&pid, path, &actions, &attributes, argv, envp) }
            }
        }
        Reaper.spawnWillStart()
        var result = spawn(executable, request.arguments)
        if known != nil, result == ENOENT || result == EACCES || result == ENOTDIR {
            forget(name, searchPath: searchPath, workingDirectory: request.workingDirectory)
            let (found, searchError) = resolve(name, searchPath: searchPath, workingDirectory: request.workingDirectory)
            if let found {
                executable = found
                result = spawn(executable, request.arguments)
            } else {
                result = searchError
            }
        }
        if result == ENOEXEC {
            // As execvp does: a file the kernel cannot execute is a shell script without `#!`.
            result = spawn("/bin/sh", ["/bin/sh", executable] + request.arguments.dropFirst())
        }
        Reaper.spawnDidEnd(pid: result == 0 ? pid : nil)
        for fd in [stdout.1, stderr.1, stdin.0] where fd >= 0 { close(fd) }
        stdout.1 = -1
        stderr.1 = -1
        stdin.0 = -1
        guard result == 0 else {
            closeAll()
            return .failure(failure(result, request))
        }

        let pidfd = LinuxCalls.pidfdOpen(pid)
        guard pidfd >= 0 else {
            let code = errno
            kill(-pid, SIGKILL)
            _ = Reaper.reap(pid: pid, pidfd: -1)
            closeAll()
            return .failure(Failure(message: "\(LinuxCalls.errorText(code)): pidfd_open"))
        }
        return .success(
            SpawnedProcess(pid: pid, pidfd: pidfd, stdout: stdout.0, stderr: stderr.0, stdin: stdin.1, pendingInput: pendingInput))
    }

    /// Finds `name` as `execvp` would: a name with a `/` is used as is (relative to the child's
    /// working directory); otherwise each `searchPath` entry in order (an empty entry is the
    /// working directory; an unset `PATH` is glibc's default `/bin:/usr/bin`), taking the first
    /// regular file we may execute.
    /// - Returns: the path to exec, or nil and `ENOENT` (nothing found) / `EACCES` (found, not
    ///   executable).
    ///
    /// What it finds is remembered (`remembered`): like bash's command hash without
    /// `checkhash`, `spawn` executes a remembered path without looking at it, and searches
    /// again only when that fails — a step that runs `true` a thousand times costs no `stat`
    /// at all; an executable put earlier in `PATH` later is not noticed until then.
    static func resolve(_ name: String, searchPath: String?, workingDirectory: String?) -> (String?, Int32) {
        if name.contains("/") { return (name, 0) }
        if name.isEmpty { return (nil, ENOENT) }
        let path = searchPath ?? "/bin:/usr/bin"
        let key = cacheKey(name, searchPath: searchPath, workingDirectory: workingDirectory)
        func probe(_ candidate: String) -> String {
            candidate.hasPrefix("/") || workingDirectory == nil ? candidate : workingDirectory! + "/" + candidate
        }
        func isExecutableFile(_ file: String) -> Bool? {
            var info = stat()
            guard stat(file, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
            return access(file, X_OK) == 0
        }
        var error = ENOENT
        for entry in path.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (entry.isEmpty ? "." : String(entry)) + "/" + name
            guard let executable = isExecutableFile(probe(candidate)) else { continue }
            if executable {
                found.withLock { $0[key] = candidate }
                return (candidate, 0)
            }
            error = EACCES
        }
        return (nil, error)
    }

    /// What `resolve` found for `name` before, without checking the file; nil for a name with
    /// a `/` (it is not searched for).
    static func remembered(_ name: String, searchPath: String?, workingDirectory: String?) -> String? {
        if name.contains("/") { return nil }
        let key = cacheKey(name, searchPath: searchPath, workingDirectory: workingDirectory)
        return found.withLock { $0[key] }
    }

    /// Drops what `resolve` remembered for `name`.
    static func forget(_ name: String, searchPath: String?, workingDirectory: String?) {
        let key = cacheKey(name, searchPath: searchPath, workingDirectory: workingDirectory)
        _ = found.withLock { $0.removeValue(forKey: key) }
    }

    /// The key of `found`: name, search path and working directory (a relative `PATH` entry is
    /// relative to where the child starts, so the directory is part of the key).
    private static func cacheKey(_ name: String, searchPath: String?, workingDirectory: String?) -> String {
        name + "\u{0}" + (searchPath ?? "/bin:/usr/bin") + "\u{0}" + (workingDirectory ?? "")
    }

    /// Names `resolve` found, by `cacheKey`.
    private static let found = Mutex<[String: String]>([:])

    private static func failure(_ code: Int32, _ request: ProcessRequest) -> Failure {
        let text = LinuxCalls.errorText(code)
        if let directory = request.workingDirectory {
            var info = stat()
            if stat(directory, &info) != 0 || info.st_mode & S_IFMT != S_IFDIR || access(directory, X_OK) != 0 {
                return Failure(message: "\(text): working directory '\(directory)'")
            }
        }
        return Failure(message: "\(text): '\(request.arguments.first ?? "")'")
    }

    /// Calls `body` with a NULL-terminated array of C strings, valid only during the call.
    private static func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for pointer in pointers { free(pointer) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
