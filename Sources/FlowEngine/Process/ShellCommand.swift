/// How a step's `run:` script and `shell:` become the argument vector of its process.
public enum ShellCommand {
    /// The arguments that run `script` with `shell`.
    ///
    /// - `shell` nil: a *simple* script (see `simpleCommand`) is executed directly, without a
    ///   shell, exactly as GNU make does for recipe lines free of shell syntax (it saves a
    ///   `/bin/sh` exec per step); anything else is `["/bin/sh", "-e", "-c", script]`.
    /// - `"sh"`: `["/bin/sh", "-e", "-c", script]`.
    /// - `"bash"`: `["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script]`, the
    ///   options GitHub Actions uses for `shell: bash` (`bash` is looked up in `PATH`).
    /// - Anything else is a template, split into words at spaces and tabs, whose `{0}` is
    ///   replaced by `scriptPath` — a file the caller has written `script` to — or, when
    ///   `scriptPath` is nil, by the script text itself (`python3 -c {0}`). A template without
    ///   `{0}` gets it appended as the last word, as GitHub Actions does.
    public static func arguments(for script: String, shell: String?, scriptPath: String? = nil) -> [String] {
        guard let shell else {
            return simpleCommand(script) ?? ["/bin/sh", "-e", "-c", script]
        }
        let words = split(shell)
        switch words {
        case ["sh"]: return ["/bin/sh", "-e", "-c", script]
        case ["bash"]: return ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script]
        default:
            let replacement = scriptPath ?? script
            guard words.contains(where: { $0.contains("{0}") }) else { return words + [replacement] }
            return words.map { $0.replacing("{0}", with: replacement) }
        }
    }

    /// Whether `shell` is a template (not `sh` or `bash`), whose `{0}` the engine replaces by
    /// the path of a file it wrote the script to (GitHub Actions' custom shells: `python3 {0}`,
    /// `perl {0}`).
    public static func takesScriptFile(_ shell: String) -> Bool {
        let words = split(shell)
        return words != ["sh"] && words != ["bash"]
    }

    /// The words of `script` when running them directly is indistinguishable from
    /// `/bin/sh -c script`; otherwise nil. A script qualifies when:
    /// - it has none of the characters the shell gives meaning to — quotes `'"` and `\`,
    ///   expansions `$` `` ` `` `~`, globs `* ? [ ]`, operators `; & | < > ( )`, braces `{ }`,
    ///   comments `#`, `!`, assignments `=` — and no line break or whitespace other than
    ///   spaces and tabs (GNU make's `sh_chars`, plus `=` anywhere, plus `\r`);
    /// - its first word is not a reserved word or a shell builtin (dash's and bash's list; the
    ///   builtins behave differently from, or have no, executable: `cd`, `exit`, `export`,
    ///   `echo -e`, `pwd` without `-P`…), except `true` and `false` with no argument (with
    ///   one, coreutils' `true --help` prints help where the builtin prints nothing).
    ///
    /// A missing program then fails to start (`failedToStart`) instead of the shell's exit
    /// status 127 — the same failure, reported earlier.
    static func simpleCommand(_ script: String) -> [String]? {
        for byte in script.utf8 {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"): continue
            case 0..<0x20, 0x7F: return nil  // line breaks, \r, other control characters
            default: if shellCharacters.contains(byte) { return nil }
            }
        }
        let words = split(script)
        guard let first = words.first else { return nil }
        if first == "true" || first == "false" { return words.count == 1 ? words : nil }
        return shellWords.contains(first) ? nil : words
    }

    private static let shellCharacters = Set("'\"\\$`~*?[]{}();&|<>#!=".utf8)

    /// Reserved words and builtins of dash and bash.
    private static let shellWords: Set<String> = [
        // reserved words
        "!", "{", "}", "[[", "]]", "case", "coproc", "do", "done", "elif", "else", "esac", "fi", "for",
        "function", "if", "in", "select", "then", "time", "until", "while",
        // POSIX special builtins
        ".", ":", "break", "continue", "eval", "exec", "exit", "export", "readonly", "return", "set",
        "shift", "times", "trap", "unset",
        // other builtins (dash, bash)
        "[", "alias", "bg", "bind", "builtin", "caller", "cd", "chdir", "command", "compgen", "complete",
        "compopt", "declare", "dirs", "disown", "echo", "enable", "false", "fc", "fg", "getopts", "hash",
        "help", "history", "jobs", "kill", "let", "local", "logout", "login", "mapfile", "newgrp", "popd",
        "printf", "pushd", "pwd", "read", "readarray", "shopt", "source", "suspend", "test", "true",
        "type", "typeset", "ulimit", "umask", "unalias", "wait",
    ]

    private static func split(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }
}
