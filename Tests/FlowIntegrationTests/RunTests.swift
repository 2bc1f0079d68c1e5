import Foundation
import Testing

/// `flow run` end to end: real processes, a real SQLite file, the real binary.
@Suite("flow run, end to end", .serialized)
struct RunTests {
    @Test("a run records its run, step runs, attempts, logs and outputs in SQLite")
    func records() throws {
        let p = try FlowProject()
        try p.write(
            "Workflows/hello.yaml",
            """
            name: hello
            steps:
              greet:
                run: |
                  echo "hello"
                  echo "digest=sha256:42" >> "$FLOW_OUTPUT"
                  printf 'notes<<EOF\\nline one\\nline two\\nEOF\\n' >> "$FLOW_OUTPUT"
              shout:
                needs: [greet]
                run: echo "${{ steps.greet.outputs.digest }}" >&2
            """)
        let result = try p.run(["run", "hello"])
        #expect(result.status == 0, "\(result.stderr)")
        let db = try SQLiteFile(p.databasePath)
        #expect(try db.rows("SELECT workflow, trigger, status FROM runs") == [["hello", "manual", "succeeded"]])
        #expect(
            try db.rows("SELECT step_id, status, attempts, exit_code FROM step_runs ORDER BY position") == [
                ["greet", "succeeded", "1", "0"], ["shout", "succeeded", "1", "0"],
            ])
        #expect(
            try db.rows("SELECT step_id, attempt, status FROM attempts ORDER BY step_id") == [
                ["greet", "1", "succeeded"], ["shout", "1", "succeeded"],
            ])
        #expect(
            try db.rows("SELECT step_id, stream, CAST(line AS TEXT) FROM logs ORDER BY seq") == [
                ["greet", "stdout", "hello"], ["shout", "stderr", "sha256:42"],
            ])
        #expect(
            try db.rows("SELECT name, value FROM outputs WHERE step_id = 'greet' ORDER BY name") == [
                ["digest", "sha256:42"], ["notes", "line one\nline two"],
            ])
    }

    @Test("a value substituted into a script can never inject shell syntax")
    func noInjection() throws {
        let p = try FlowProject()
        let evil = #"$(touch pwned); "';`touch pwned2`"#
        try p.write(
            "Workflows/inject.yaml",
            """
            name: inject
            params:
              x: { type: string }
            steps:
              plain: { run: "echo ${{ params.x }} > plain.txt" }
              double: { run: "echo \\"v=${{ params.x }}\\" > double.txt" }
              single: { run: "echo 'v=${{ params.x }}' > single.txt" }
            """)
        let result = try p.run(["run", "inject", "-p", "x=\(evil)"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(p.read("plain.txt") == evil + "\n")
        #expect(p.read("double.txt") == "v=" + evil + "\n")
        #expect(p.read("single.txt") == "v=" + evil + "\n")
        #expect(!FileManager.default.fileExists(atPath: p.root + "/pwned"))
        #expect(!FileManager.default.fileExists(atPath: p.root + "/pwned2"))
    }

    @Test("a failed step fails the run with exit status 1; what needs it is skipped")
    func failure() throws {
        let p = try FlowProject()
        try p.write(
            "Workflows/f.yaml",
            """
            name: f
            steps:
              bad: { run: "exit 3" }
              after: { run: "true", needs: [bad] }
            """)
        let result = try p.run(["run", "f"])
        #expect(result.status == 1)
        let db = try SQLiteFile(p.databasePath)
        #expect(
            try db.rows("SELECT step_id, status, exit_code FROM step_runs ORDER BY position") == [
                ["bad", "failed", "3"], ["after", "skipped", ""],
            ])
        #expect(try db.rows("SELECT status FROM runs") == [["failed"]])
    }

    @Test("a timeout kills the step's whole process tree")
    func timeoutKillsTree() throws {
        let p = try FlowProject()
        // The grandchild ignores TERM, so only the KILL after the grace period ends it.
        try p.write(
            "Workflows/t.yaml",
            """
            name: t
            steps:
              slow:
                timeout: 1s
                run: |
                  sh -c 'trap "" TERM; echo $$ > grandchild.pid; exec sleep 1000' &
                  wait
            """)
        let result = try p.run(["run", "t"], environment: ["FLOW_KILL_GRACE": "1s"])
        #expect(result.status == 1)
        let pid = try #require(Int32((p.read("grandchild.pid") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(!processExists(pid), "grandchild \(pid) survived the timeout")
        let db = try SQLiteFile(p.databasePath)
        #expect(try db.rows("SELECT status FROM step_runs") == [["timed_out"]])
    }

    @Test("a timeout also kills a grandchild that left the step's process group with setsid")
    func timeoutKillsEscapee() throws {
        let p = try FlowProject()
        // The escapee leads a session of its own, so the step group's SIGKILL misses it, and it
        // ignores the TERM it gets; it still carries the step's FLOW_RUN_ID, FLOW_STEP_ID and
        // FLOW_ATTEMPT.
        try p.write(
            "Workflows/e.yaml",
            """
            name: e
            steps:
              slow:
                timeout: 1s
                run: |
                  setsid sh -c 'trap "" TERM; echo $$ > escapee.tmp; mv escapee.tmp escapee.pid; exec sleep 1000' &
                  while [ ! -e escapee.pid ]; do sleep 0.01; done
                  sleep 1000
            """)
        let result = try p.run(["run", "e"], environment: ["FLOW_KILL_GRACE": "1s"])
        #expect(result.status == 1)
        let pid = try #require(Int32((p.read("escapee.pid") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(processIsDead(pid), "escapee \(pid) survived the timeout")
        #expect(result.stdout.contains("killed 1 process that had left the step's process group: \(pid)"), "\(result.stdout)")
    }

    @Test("after flow itself is killed with -9, flow cancel kills the run's leftover steps and records it interrupted")
    func cancelAfterKill() throws {
        let p = try FlowProject()
        let fifo = p.makeFIFO("ready")
        try p.write(
            "Workflows/k.yaml",
            """
            name: k
            steps:
              long:
                run: |
                  setsid sleep 1000 &
                  echo $! > escapee.pid
                  echo $$ > \(fifo)
                  sleep 1000
            """)
        let (process, out, err) = try p.start(["run", "k"])
        let shell = try #require(Int32(readFIFO(fifo).trimmingCharacters(in: .whitespacesAndNewlines)))
        kill(process.processIdentifier, SIGKILL)
        _ = FlowProject.finish(process, out, err)
        #expect(processExists(shell), "the step outlives a flow killed with -9 (nothing can stop it then)")
        let escapee = try #require(Int32((p.read("escapee.pid") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)))
        let runID = try #require(try SQLiteFile(p.databasePath).rows("SELECT id FROM runs").first?.first)
        let cancel = try p.run(["cancel", runID])
        #expect(cancel.status == 0, "\(cancel.stderr)")
        #expect(cancel.stdout.contains("killed its leftover processes"), "\(cancel.stdout)")
        for pid in [shell, escapee] { #expect(processIsDead(pid), "process \(pid) survived flow cancel") }
        #expect(try SQLiteFile(p.databasePath).rows("SELECT status FROM runs") == [["interrupted"]])
    }

    @Test("run.attempt is each attempt's number: a retried step renders its script again")
    func runAttempt() throws {
        let p = try FlowProject()
        try p.write(
            "Workflows/a.yaml",
            """
            name: a
            steps:
              flaky:
                retry: 3
                run: |
                  echo "attempt ${{ run.attempt }} of FLOW_ATTEMPT=$FLOW_ATTEMPT"
                  test ${{ run.attempt }} -ge 2
            """)
        let result = try p.run(["run", "a"])
        #expect(result.status == 0, "\(result.stderr)")
        let db = try SQLiteFile(p.databasePath)
        #expect(
            try db.rows("SELECT attempt, CAST(line AS TEXT) FROM logs ORDER BY seq")
                == [["1", "attempt 1 of FLOW_ATTEMPT=1"], ["2", "attempt 2 of FLOW_ATTEMPT=2"]])
    }

    @Test("a custom shell gets its script as a file ({0}) with expression values written in")
    func customShell() throws {
        let p = try FlowProject()
        try p.write(
            "Workflows/py.yaml",
            """
            name: py
            params:
              who: { default: 'Ada "the" ${HOME}' }
            steps:
              hello:
                shell: python3 {0}
                run: |
                  import sys
                  print("script:", sys.argv[0].endswith("/.flow/scripts/hello"))
                  print('who: ${{ params.who }}')
            """)
        let result = try p.run(["run", "py"])
        #expect(result.status == 0, "\(result.stderr)")
        let db = try SQLiteFile(p.databasePath)
        // The value as written in the YAML, untouched by any shell expansion.
        #expect(try db.rows("SELECT CAST(line AS TEXT) FROM logs ORDER BY seq") == [["script: True"], [#"who: Ada "the" ${HOME}"#]])
    }

    @Test("a timeout sends TERM to a grandchild that left the group too, before any KILL")
    func timeoutTermsEscapee() throws {
        let p = try FlowProject()
        // The escapee cleans up on TERM; it would only be SIGKILLed after the 5 s grace.
        try p.write(
            "Workflows/g.yaml",
            """
            name: g
            steps:
              slow:
                timeout: 1s
                run: |
                  setsid sh -c 'trap "echo got-term > term.txt; exit 0" TERM; echo $$ > escapee.tmp; mv escapee.tmp escapee.pid; sleep 1000 & wait' &
                  while [ ! -e escapee.pid ]; do sleep 0.01; done
                  sleep 1000
            """)
        let result = try p.run(["run", "g"], environment: ["FLOW_KILL_GRACE": "5s"])
        #expect(result.status == 1)
        #expect(p.read("term.txt") == "got-term\n")
        #expect(!result.stdout.contains("killed"), "\(result.stdout)")
    }

    @Test("a second SIGINT ends the kill grace of steps that are being stopped: SIGKILL at once")
    func secondSignalKillsNow() throws {
        let p = try FlowProject()
        let ready = p.makeFIFO("ready")
        let term = p.makeFIFO("term")
        // The step survives SIGTERM (it only reports it), so only SIGKILL ends it: after the
        // 60 s grace, or at once after a second SIGINT.
        try p.write(
            "Workflows/s.yaml",
            """
            name: s
            steps:
              stubborn:
                run: |
                  trap 'echo term > \(term)' TERM
                  echo ready > \(ready)
                  while :; do sleep 0.2 || true; done
            """)
        let (process, out, err) = try p.start(["run", "s"], environment: ["FLOW_KILL_GRACE": "60s"])
        #expect(readFIFO(ready) == "ready\n")
        let started = Date()
        kill(process.processIdentifier, SIGINT)
        #expect(readFIFO(term) == "term\n")  // the first SIGINT reached the step
        kill(process.processIdentifier, SIGINT)
        let result = FlowProject.finish(process, out, err)
        #expect(result.status == 130, "\(result.stderr)")
        // Far below the grace period: the second signal did not wait for it.
        #expect(Date().timeIntervalSince(started) < 30)
        let db = try SQLiteFile(p.databasePath)
        #expect(try db.rows("SELECT status FROM step_runs") == [["cancelled"]])
    }

    @Test("SIGINT cancels the run: children gone, run recorded as cancelled, exit status 130")
    func cancel() throws {
        let p = try FlowProject()
        let fifo = p.makeFIFO("ready")
        try p.write(
            "Workflows/c.yaml",
            """
            name: c
            steps:
              long:
                run: |
                  sleep 1000 &
                  echo $! > child.pid
                  echo started > ready
                  wait
              later: { run: "true", needs: [long] }
            """)
        let (process, out, err) = try p.start(["run", "c"])
        // Blocks until the step has written its child's pid: the event, not a timer.
        let ready = readFIFO(fifo)
        #expect(ready == "started\n")
        kill(process.processIdentifier, SIGINT)
        let result = FlowProject.finish(process, out, err)
        #expect(result.status == 130, "\(result.stderr)")
        let pid = try #require(Int32((p.read("child.pid") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(!processExists(pid))
        let db = try SQLiteFile(p.databasePath)
        #expect(try db.rows("SELECT status, reason FROM runs") == [["cancelled", "cancelled by SIGINT"]])
        #expect(
            try db.rows("SELECT step_id, status FROM step_runs ORDER BY position") == [["long", "cancelled"], ["later", "cancelled"]])
    }

    @Test("huge output is recorded line by line with bounded memory; invalid UTF-8 survives")
    func hugeOutput() throws {
        let p = try FlowProject()
        try p.write(
            "Workflows/h.yaml",
            """
            name: h
            steps:
              lines: { run: "seq 1 1000000" }
              long: { run: "head -c 300000 /dev/zero | tr '\\\\0' x; echo" }
              binary: { run: "printf 'a\\\\377\\\\376b\\\\n'" }
            """)
        // GNU time reports the flow process's own peak resident set size (KiB) on stderr.
        let time = "/usr/bin/time"
        let measured = FileManager.default.isExecutableFile(atPath: time)
        if !measured && ProcessInfo.processInfo.environment["CI"] == "true" {
            Issue.record("CI=true but \(time) is missing (Debian package 'time')")
        }
        let result = measured ? try p.run(["run", "h"], viaTime: time) : try p.run(["run", "h"])
        #expect(result.status == 0, "\(result.stderr)")
        let db = try SQLiteFile(p.databasePath)
        #expect(
            try db.rows("SELECT count(*), min(CAST(line AS INTEGER)), max(CAST(line AS INTEGER)) FROM logs WHERE step_id = 'lines'") == [
                ["1000000", "1", "1000000"]
            ])
        // 300,000 bytes in 64 KiB pieces: 4 continued pieces and a last one.
        #expect(
            try db.rows("SELECT count(*), sum(length(line)), sum(continued) FROM logs WHERE step_id = 'long'") == [["5", "300000", "4"]])
        #expect(try db.rows("SELECT hex(line) FROM logs WHERE step_id = 'binary'") == [["61FFFE62"]])
        if measured {
            let peak = Int(result.stderr.split(separator: "\n").last ?? "") ?? .max
            // 7 MB of output (a million lines) through a process whose baseline is ~40 MB: far
            // below what holding the output, or its events, in memory would take.
            #expect(peak < 120_000, "peak RSS \(peak) KiB")
        }
    }

    @Test("retry runs again only what did not succeed, reusing outputs")
    func retry() throws {
        let p = try FlowProject()
        try p.write(
            "Workflows/r.yaml",
            """
            name: r
            steps:
              a:
                run: |
                  echo run >> a.count
                  echo "v=from-a" >> "$FLOW_OUTPUT"
              b:
                needs: [a]
                run: test -f fixed
              c:
                needs: [b]
                run: echo "${{ steps.a.outputs.v }}" > c.txt
            """)
        #expect(try p.run(["run", "r"]).status == 1)
        let db = try SQLiteFile(p.databasePath)
        let first = try db.rows("SELECT id FROM runs")[0][0]
        try p.write("fixed", "")
        let result = try p.run(["retry", first])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(p.read("a.count") == "run\n")
        #expect(p.read("c.txt") == "from-a\n")
        let second = try db.rows("SELECT id FROM runs WHERE retry_of = ?", [first])[0][0]
        #expect(
            try db.rows("SELECT step_id, status, reused_from FROM step_runs WHERE run_id = ? ORDER BY position", [second]) == [
                ["a", "succeeded", first], ["b", "succeeded", ""], ["c", "succeeded", ""],
            ])
    }

    @Test("secrets are masked in logs, outputs and the database")
    func secretsMasked() throws {
        let p = try FlowProject()
        let secret = "hunter2-\(UUID().uuidString)"
        try p.write(
            "Workflows/s.yaml",
            """
            name: s
            secrets:
              TOKEN: { env: MY_TOKEN }
            steps:
              leak:
                run: |
                  echo "token is ${{ secrets.TOKEN }}"
                  echo "t=${{ secrets.TOKEN }}" >> "$FLOW_OUTPUT"
            """)
        let result = try p.run(["run", "s"], environment: ["MY_TOKEN": secret])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("token is ***"))
        #expect(!result.stdout.contains(secret))
        let db = try SQLiteFile(p.databasePath)
        #expect(try db.rows("SELECT name, value FROM outputs") == [["t", "***"]])
        for file in try FileManager.default.contentsOfDirectory(atPath: p.root + "/.flow") where file.hasPrefix("flow.db") {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: p.root + "/.flow/" + file))
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "secret found in \(file)")
        }
    }

    @Test("several flow processes on one database lose no records")
    func concurrentProcesses() throws {
        let p = try FlowProject()
        var steps = "name: many\nsteps:\n"
        for i in 0..<20 { steps += "  s\(i): { run: \"echo \(i)\" }\n" }
        try p.write("Workflows/many.yaml", steps)
        let started = try (0..<4).map { _ in try p.start(["run", "many"]) }
        for (process, out, err) in started {
            let result = FlowProject.finish(process, out, err)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let db = try SQLiteFile(p.databasePath)
        #expect(try db.rows("SELECT count(*), sum(status = 'succeeded') FROM runs") == [["4", "4"]])
        #expect(try db.rows("SELECT count(*) FROM step_runs WHERE status = 'succeeded'") == [["80"]])
        #expect(try db.rows("SELECT count(*) FROM logs") == [["80"]])
    }

    @Test("in GitHub Actions: log groups, error annotations and a step summary")
    func githubActions() throws {
        let p = try FlowProject()
        try p.write(
            "Workflows/ci.yaml",
            """
            name: ci
            steps:
              build: { run: "echo building" }
              test: { run: "echo failing; exit 2", needs: [build] }
            """)
        let summary = p.root + "/summary.md"
        let result = try p.run(["run", "ci"], environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary])
        #expect(result.status == 1)
        #expect(result.stdout.contains("::group::✓ build succeeded"))
        #expect(result.stdout.contains("building\n::endgroup::"))
        #expect(result.stdout.contains("::error file=Workflows/ci.yaml,title=step test failed::step 'test' of ci failed: exit 2"))
        let md = try String(contentsOfFile: summary, encoding: .utf8)
        #expect(md.contains("| Step | Status | Attempts | Duration | Detail |"))
        #expect(md.contains("| `test` | ✗ failed | 1 |"))
        let db = try SQLiteFile(p.databasePath)
        #expect(try db.rows("SELECT trigger FROM runs") == [["ci"]])
    }

    @Test("a dry run prints scripts as the shell gets them, nested inputs resolved, secrets masked; records nothing")
    func dryRun() throws {
        let p = try FlowProject()
        try p.write(
            "Workflows/d.yaml",
            """
            name: d
            params:
              target: { type: string, default: prod }
              source: { default: "${{ env.SITE }}/docs" }
            secrets:
              KEY: { env: DEPLOY_KEY }
            steps:
              build: { run: "make ${{ params.target }}" }
              deploy: { run: "deploy --key ${{ secrets.KEY }}", needs: [build] }
              crawl:
                uses: crawl
                with:
                  seeds: ["${{ params.source }}", "file:///srv/${{ params.target }}"]
                  max_pages: 5
            """)
        let result = try p.run(
            ["run", "d", "--dry-run"], environment: ["DEPLOY_KEY": "very-secret-key", "SITE": "https://example.org"])
        #expect(result.status == 0, "\(result.stderr)")
        // Written by hand from docs/workflow-language.md: an unquoted ${{ }} in a script becomes
        // "${FLOW_EXPR_n}" and its value reaches the shell as that variable; the param default
        // reads the environment flow runs in; the plan goes in file order among ready steps.
        #expect(
            result.stdout == """
                Workflow d (Workflows/d.yaml) — dry run, nothing is executed
                Parameters:
                  source = https://example.org/docs
                  target = prod
                Plan (3 step runs, at most one per core at once):
                1. build
                     run: make "${FLOW_EXPR_1}"
                     with environment:
                       FLOW_EXPR_1=prod
                2. deploy  needs: build
                     run: deploy --key "${FLOW_EXPR_1}"
                     with environment:
                       FLOW_EXPR_1=***
                3. crawl
                     uses: crawl
                       max_pages: 5
                       seeds:
                         - https://example.org/docs
                         - file:///srv/prod

                """)
        #expect(!result.stdout.contains("very-secret-key"))
        #expect(!FileManager.default.fileExists(atPath: p.databasePath))
    }

    @Test("bad parameters are rejected before anything runs, naming the parameter")
    func badParams() throws {
        let p = try FlowProject()
        try p.write(
            "Workflows/p.yaml",
            """
            name: p
            params:
              pages: { type: int, required: true }
            steps:
              s: { run: "true" }
            """)
        let result = try p.run(["run", "p", "-p", "pages=lots", "-p", "pgaes=3"])
        #expect(result.status == 65)
        #expect(
            result.stderr
                == "error: parameter 'pgaes': unknown parameter (declared: pages); did you mean 'pages'?\nerror: parameter 'pages': expected an integer, got 'lots'\n"
        )
        #expect(!FileManager.default.fileExists(atPath: p.databasePath))
    }
}

@Suite("flow schema and validate")
struct SchemaCommandTests {
    @Test("flow schema prints exactly the committed docs/flow.schema.json")
    func schemaMatchesDocs() throws {
        let p = try FlowProject()
        let result = try p.run(["schema"])
        #expect(result.status == 0)
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/flow.schema.json")
        let committed = try String(contentsOf: docs, encoding: .utf8)
        #expect(result.stdout == committed, "regenerate with: swift run flow schema > docs/flow.schema.json")
    }

    @Test("flow validate reports every problem compiler-style and exits 65")
    func validateInvalid() throws {
        let p = try FlowProject()
        try p.write(
            "Workflows/bad.yaml",
            """
            name: bad
            steps:
              a: { run: "true", needs: [b] }
              b: { run: "true", needs: [a] }
              c: { run: "true", timeout: soon }
            """)
        let result = try p.run(["validate", "bad"])
        #expect(result.status == 65)
        // Columns counted by hand from the file above (1-based).
        #expect(result.stderr.contains("Workflows/bad.yaml:4:29: error: dependency cycle: a → b → a"))
        #expect(result.stderr.contains("Workflows/bad.yaml:5:30: error:"))
        #expect(result.stderr.contains("1 of 1 workflow file invalid"))
    }
}
