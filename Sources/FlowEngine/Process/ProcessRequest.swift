/// One process for `ProcessRunner.run` to start and supervise.
public struct ProcessRequest: Sendable {
    /// The argument vector; never empty for a valid request. `arguments[0]` without a `/` is
    /// looked up in the `PATH` of `environment` (not of this process) the way `execvp` does:
    /// the first regular, executable file wins; an unset `PATH` means `/bin:/usr/bin`; a file
    /// the kernel cannot execute (`ENOEXEC`, a script without `#!`) is run by `/bin/sh`.
    public var arguments: [String]
    /// The complete environment of the process; nothing is inherited.
    public var environment: [String: String]
    /// The directory the process starts in; nil means this process's current directory.
    public var workingDirectory: String?
    /// Wall time after which the process group is stopped and the run returns `.timedOut`;
    /// nil means no limit.
    public var timeout: Duration?
    /// How long the process group gets between SIGTERM and SIGKILL when stopped by a timeout
    /// or cancellation.
    public var killGrace: Duration
    /// Environment entries (`NAME=value`) that mark the process's descendants: when the
    /// process is stopped (timeout, cancellation), SIGTERM (and SIGCONT) also go to every
    /// process carrying all of them that is outside its process group — one that left it with
    /// `setsid` — found in `/proc` (`LeftoverProcesses`). Empty: the group only.
    public var descendantMarks: [String] = []
    /// The longest line delivered in one `OutputLine`, in bytes (at least 1); a longer line
    /// arrives in pieces of exactly this size marked `isContinued`, then its tail.
    public var maxLineBytes: Int
    /// Bytes written to the process's standard input, which is then closed; nil connects
    /// standard input to `/dev/null`.
    public var standardInput: [UInt8]?

    public init(
        arguments: [String], environment: [String: String], workingDirectory: String? = nil,
        timeout: Duration? = nil, killGrace: Duration = .seconds(5), maxLineBytes: Int = 64 * 1024,
        standardInput: [UInt8]? = nil
    ) {
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.timeout = timeout
        self.killGrace = killGrace
        self.maxLineBytes = maxLineBytes
        self.standardInput = standardInput
    }
}
