import Foundation
import Testing

/// Command-line odds and ends, through the real binary: run id prefixes, matrix step ids in
/// `flow logs`, option checks, secrets and `$FLOW_OUTPUT` end to end. Expected texts are the
/// rules docs/cli.md and docs/workflow-language.md state.
@Suite("flow command line", .serialized)
struct CommandLineTests {
    static let matrix = """
        params:
          flag: {type: bool, default: false}
          n: {type: int, default: 1}
        steps:
          t:
            run: echo "v=$X"
            env: {X: "${{ matrix.x }}"}
            matrix: {x: [a, b]}
        """

    @Test("an ambiguous run id prefix says so and lists the runs it matches")
    func ambiguousPrefix() throws {
        let p = try FlowProject()
        try p.write("Workflows/m.yaml", Self.matrix)
        #expect(try p.run(["run", "m"]).status == 0)
        #expect(try p.run(["run", "m"]).status == 0)
        let result = try p.run(["show", "2"])
        #expect(result.status == 66)
        #expect(result.stderr.hasPrefix("error: run id prefix '2' is ambiguous: 2 runs match (newest first: "))
        // flow cancel finds runs as show/logs/retry do (it used to say "no run '2'").
        let cancel = try p.run(["cancel", "2"])
        #expect(cancel.status == 66)
        #expect(cancel.stderr.hasPrefix("error: run id prefix '2' is ambiguous: 2 runs match (newest first: "))
        #expect(try p.run(["logs", "nope"]).stderr == "error: no run 'nope'\n")
    }

    @Test("flow logs RUN STEP with a matrix step's id prints all its combinations")
    func logsOfMatrixStep() throws {
        let p = try FlowProject()
        try p.write("Workflows/m.yaml", Self.matrix)
        #expect(try p.run(["run", "m"]).status == 0)
        let id = try #require(SQLiteFile(p.databasePath).rows("SELECT id FROM runs").first?.first)
        let result = try p.run(["logs", id, "t"])
        #expect(result.status == 0)
        #expect(result.stdout == "t[a] | v=a\nt[b] | v=b\n")
        #expect(try p.run(["logs", id, "t[b]"]).stdout == "v=b\n")
        let missing = try p.run(["logs", id, "u"])
        #expect(missing.status == 66)
        #expect(missing.stderr == "error: run \(id) has no step 'u'; its step runs: t[a], t[b]\n")
    }

    @Test("--concurrency below 1 and a FLOW_KILL_GRACE that is not a duration are usage errors")
    func optionChecks() throws {
        let p = try FlowProject()
        try p.write("Workflows/m.yaml", Self.matrix)
        let zero = try p.run(["run", "m", "--concurrency", "0"])
        #expect(zero.status == 64)
        #expect(zero.stderr.hasPrefix("Error: --concurrency must be at least 1, found 0\n"))
        let grace = try p.run(["run", "m"], environment: ["FLOW_KILL_GRACE": "abc"])
        #expect(grace.status == 64)
        #expect(
            grace.stderr
                == "error: FLOW_KILL_GRACE='abc' is not a duration; write a number with a unit (ms, s, m, h, d), such as 5s or 500ms\n"
        )
        // flow daemon starts runs with the same grace: it refuses the value before listening.
        let daemon = try p.run(["daemon", "--listen", "127.0.0.1:0"], environment: ["FLOW_KILL_GRACE": "abc"])
        #expect(daemon.status == 64)
        #expect(
            daemon.stderr
                == "error: FLOW_KILL_GRACE='abc' is not a duration; write a number with a unit (ms, s, m, h, d), such as 5s or 500ms\n"
        )
    }

    @Test("bool params take only YAML 1.2 booleans, and each bad param is its own error line")
    func params() throws {
        let p = try FlowProject()
        try p.write("Workflows/m.yaml", Self.matrix)
        let result = try p.run(["run", "m", "-p", "flag=yes", "-p", "n=x"])
        #expect(result.status == 65)
        #expect(
            result.stderr == """
                error: parameter 'flag': expected true or false, got 'yes'
                error: parameter 'n': expected an integer, got 'x'

                """)
        #expect(try p.run(["run", "m", "-p", "flag=1"]).status == 65)
        #expect(try p.run(["run", "m", "-p", "flag=true"]).status == 0)
    }

    @Test("-C and --db work before the command name too")
    func globalOptionsFirst() throws {
        let p = try FlowProject()
        try p.write("Workflows/m.yaml", Self.matrix)
        let result = try p.run(["-C", p.root, "validate"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("ok: Workflows/m.yaml"))
    }

    // Expected as GitHub Actions masks a multi-line secret: every line on its own.
    @Test("each line of a multi-line secret is masked in output and the logs table; CRLF outputs are read")
    func multiLineSecretAndCRLFOutputs() throws {
        let p = try FlowProject()
        try p.write("ml.txt", "firstline-AAA\nsecondline-BBB\n")
        try p.write(
            "Workflows/s.yaml",
            """
            secrets:
              ML: {file: ml.txt}
            steps:
              a:
                env: {S: "${{ secrets.ML }}"}
                run: |
                  echo "all: $S"
                  printf 'x=1\\r\\ny=2\\r\\n' >> "$FLOW_OUTPUT"
              b:
                needs: [a]
                run: echo "x=${{ steps.a.outputs.x }} y=${{ steps.a.outputs.y }}"
            """)
        let result = try p.run(["run", "s"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("AAA") && !result.stdout.contains("BBB"))
        let db = try SQLiteFile(p.databasePath)
        #expect(
            try db.rows("SELECT step_id, CAST(line AS TEXT) FROM logs ORDER BY seq") == [
                ["a", "all: ***"], ["a", "***"], ["b", "x=1 y=2"],
            ])
    }
}
