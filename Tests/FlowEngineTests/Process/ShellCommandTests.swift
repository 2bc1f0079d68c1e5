import Testing

@testable import FlowEngine

@Suite("Shell command")
struct ShellCommandTests {
    static let sh = ["/bin/sh", "-e", "-c"]

    @Test(
        "a script free of shell syntax runs directly, split into words",
        arguments: [
            ("true", ["true"]),
            ("false", ["false"]),
            ("  make   -j2\tall ", ["make", "-j2", "all"]),
            ("/usr/bin/env", ["/usr/bin/env"]),
            ("./build.sh --release", ["./build.sh", "--release"]),
            ("cp a.txt b-c_d/e,f@g:h%i+j.k", ["cp", "a.txt", "b-c_d/e,f@g:h%i+j.k"]),
        ])
    func direct(script: String, words: [String]) {
        #expect(ShellCommand.arguments(for: script, shell: nil) == words)
    }

    // Each needs the shell: a builtin or reserved word first, or a character from GNU make's
    // sh_chars, `=`, or a control character.
    @Test(
        "anything else goes to /bin/sh -e -c",
        arguments: [
            "", "   ", "true --help", "false 1", "echo hello", "printf x", "cd /tmp", "exit 3", "export A", "pwd",
            "test -f x", "[ -f x ]", "if", "exec make", "source env.sh", ". env.sh", "FOO=1 make", "make A=1",
            "ls *.swift", "ls ?", "ls [ab]", "ls ~", "echo $HOME", "echo `date`", "make && make install",
            "make || true", "make; make install", "make | tee log", "cat <in", "cat >out", "(make)", "{ make; }",
            "make # comment", "say 'hi'", "say \"hi\"", "say \\n", "a\nb", "make\r", "! make",
        ])
    func shell(script: String) {
        #expect(ShellCommand.arguments(for: script, shell: nil) == Self.sh + [script])
    }

    @Test("named shells and templates")
    func shells() {
        let script = "set -x\nmake"
        #expect(ShellCommand.arguments(for: script, shell: "sh") == Self.sh + [script])
        // GitHub Actions' `shell: bash` runs `bash --noprofile --norc -eo pipefail {0}`.
        #expect(ShellCommand.arguments(for: script, shell: "bash") == ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        #expect(ShellCommand.arguments(for: "true", shell: "bash") == ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", "true"])
        #expect(
            ShellCommand.arguments(for: script, shell: "python3 -u {0}", scriptPath: "/tmp/step.py") == ["python3", "-u", "/tmp/step.py"])
        #expect(ShellCommand.arguments(for: "print(1)", shell: "python3 -c {0}") == ["python3", "-c", "print(1)"])
        #expect(ShellCommand.arguments(for: script, shell: "fish", scriptPath: "/tmp/s") == ["fish", "/tmp/s"])
        #expect(ShellCommand.arguments(for: script, shell: "perl -x{0}", scriptPath: "/tmp/p") == ["perl", "-x/tmp/p"])
    }

    // The oracle is /bin/sh itself: running a script directly must be indistinguishable from
    // running it with `/bin/sh -e -c`.
    @Test(
        "running directly matches running through /bin/sh",
        arguments: [
            "true", "false", "uname -s", "ls -d / /usr", "printenv FLOW_TEST_VALUE", "cat /proc/sys/kernel/ostype",
            "ls /flow-no-such-file", "head -c 5 /etc/passwd",
        ])
    func sameAsShell(script: String) async {
        let direct = ShellCommand.arguments(for: script, shell: nil)
        #expect(direct != Self.sh + [script])
        var environment = ProcessFixture.environment
        environment["FLOW_TEST_VALUE"] = "42"
        let runner = ProcessRunner()
        let (viaExec, execOutput) = await ProcessFixture.run(ProcessRequest(arguments: direct, environment: environment), on: runner)
        let (viaShell, shellOutput) = await ProcessFixture.run(
            ProcessRequest(arguments: Self.sh + [script], environment: environment), on: runner)
        #expect(viaExec == viaShell)
        #expect(execOutput.text(.stdout) == shellOutput.text(.stdout))
        #expect(execOutput.text(.stderr) == shellOutput.text(.stderr))
    }
}
