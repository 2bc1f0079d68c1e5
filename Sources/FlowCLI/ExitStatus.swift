/// The documented exit statuses of `flow` (sysexits(3) where one fits). See docs/cli.md.
public enum ExitStatus: Int32, Sendable {
    /// The run succeeded / the command did what was asked.
    case success = 0
    /// The run failed (a step failed, timed out or was interrupted).
    case runFailed = 1
    /// EX_USAGE: bad command line.
    case usage = 64
    /// EX_DATAERR: a workflow or a parameter is invalid.
    case invalidInput = 65
    /// EX_NOINPUT: no such workflow, run or file.
    case notFound = 66
    /// EX_UNAVAILABLE: the daemon could not be reached, or a needed tool is missing.
    case unavailable = 69
    /// EX_SOFTWARE: an internal error (a bug: please report it).
    case internalError = 70
    /// EX_IOERR: the run database could not be read or written.
    case ioError = 74
    /// EX_TEMPFAIL: the run could not start now (still running, conflict); try again later.
    case tryAgain = 75
    /// The run was cancelled (Ctrl-C, SIGTERM, `flow cancel`): 128 + SIGINT, as shells report.
    case cancelled = 130
}
