import FlowCore
import FlowSpec
import Testing

/// Each file in `Fixtures/valid/` loads without errors or warnings into the model written out
/// by hand here (from reading the YAML and the language reference, not from the loader).
@Suite struct ValidFixtureTests {
    let loader = WorkflowLoader(catalog: TestCatalog.catalog)

    func load(_ name: String) throws -> Workflow {
        let text = try Fixtures.text("valid", "\(name).yaml")
        let (workflow, warnings) = try loader.load(text: text, file: "valid/\(name).yaml")
        #expect(warnings.isEmpty)
        return workflow
    }

    @Test("every valid fixture has an expected model here")
    func everyFixtureIsCovered() {
        #expect(Fixtures.cases(in: "valid") == Self.expected.keys.sorted())
    }

    @Test("loads into the expected model", arguments: expected.keys.sorted())
    func loadsIntoExpectedModel(name: String) throws {
        let workflow = try load(name)
        #expect(WorkflowDump.text(workflow) == WorkflowDump.text(Self.expected[name]!))
    }

    static let expected: [String: Workflow] = [
        "minimal": Workflow(
            name: "minimal", file: "valid/minimal.yaml",
            steps: [Step(id: "hello", action: .run(Located("echo hello")))]),
        "full": full,
        "matrix": Workflow(
            name: "test-matrix", file: "valid/matrix.yaml",
            steps: [
                Step(id: "build", action: .run(Located("make"))),
                Step(
                    id: "test",
                    action: .run(
                        Located(
                            "make test OS=${{ matrix.os }} PY=${{ matrix.python }} EXTRA=${{ matrix.extra }}")),
                    needs: [Located("build")],
                    matrix: Matrix(
                        dimensions: [
                            .init(name: "os", values: [.string("linux"), .string("macos")]),
                            .init(name: "python", values: [.string("3.12"), .string("3.13")]),
                        ],
                        include: [["os": .string("linux"), "python": .string("3.14"), "extra": .string("nightly")]],
                        exclude: [["os": .string("macos"), "python": .string("3.12")]])),
            ]),
        "schedules": Workflow(
            name: "backups", file: "valid/schedules.yaml",
            schedules: [
                ScheduleSpec(cron: Located("0 3 * * *")),
                ScheduleSpec(cron: Located("30 12 * * 1-5"), timezone: "America/New_York", catchup: .none, overlap: .queue),
                ScheduleSpec(cron: Located("@hourly"), paused: true),
            ],
            steps: [Step(id: "backup", action: .run(Located("./backup.sh")))]),
        "secrets-list": Workflow(
            name: "secrets-list", file: "valid/secrets-list.yaml",
            secrets: [
                SecretSpec(name: "API_TOKEN", source: .environment("API_TOKEN")),
                SecretSpec(name: "DB_PASSWORD", source: .environment("DB_PASSWORD")),
            ],
            steps: [
                Step(
                    id: "sync", action: .run(Located("./sync.sh")),
                    env: [
                        EnvironmentEntry(name: "TOKEN", value: Located("${{ secrets.API_TOKEN }}")),
                        // Context lookups ignore case, as GitHub's do.
                        EnvironmentEntry(name: "PASSWORD", value: Located("${{ secrets.db_password }}")),
                    ])
            ]),
        "rag-pipeline": ragPipeline,
        "anchors": Workflow(
            name: "anchors", file: "valid/anchors.yaml",
            steps: [
                Step(
                    id: "a", action: .run(Located("./step.sh a")),
                    env: [
                        EnvironmentEntry(name: "LOG_LEVEL", value: Located("debug")),
                        EnvironmentEntry(name: "COLOR", value: Located("0")),
                    ],
                    timeout: .seconds(30)),
                Step(
                    id: "b", action: .run(Located("./step.sh b")), needs: [Located("a")],
                    env: [
                        EnvironmentEntry(name: "LOG_LEVEL", value: Located("debug")),
                        EnvironmentEntry(name: "COLOR", value: Located("0")),
                    ],
                    timeout: .seconds(30)),
            ]),
    ]

    static let full = Workflow(
        name: "nightly-report", description: "Builds the nightly report and mails it.", file: "valid/full.yaml",
        params: [
            ParamSpec(
                name: "region", type: .string, defaultValue: .string("eu-west-1"),
                allowed: [.string("eu-west-1"), .string("us-east-1")], description: "Where the data lives."),
            ParamSpec(name: "limit", type: .int, defaultValue: .number(100)),
            ParamSpec(name: "ratio", type: .number, defaultValue: .number(0.5)),
            ParamSpec(name: "dry_run", type: .bool, defaultValue: .bool(false)),
            ParamSpec(name: "targets", type: .list, defaultValue: .array([.string("pdf"), .string("html")])),
            ParamSpec(name: "owner", type: .string, required: true),
        ],
        env: [
            EnvironmentEntry(name: "STAGE", value: Located("prod")),
            EnvironmentEntry(name: "RETRIES", value: Located("3")),
            EnvironmentEntry(name: "VERBOSE", value: Located("true")),
            EnvironmentEntry(name: "REGION", value: Located("${{ params.region }}")),
        ],
        secrets: [
            SecretSpec(name: "API_TOKEN", source: .environment("REPORT_API_TOKEN")),
            SecretSpec(name: "DB_PASSWORD", source: .file("/run/secrets/db")),
            SecretSpec(name: "SMTP_PASSWORD", source: .environment("SMTP_PASSWORD"), required: false),
            SecretSpec(name: "PLAIN", source: .environment("PLAIN")),
        ],
        defaults: StepDefaults(
            timeout: .seconds(600), retry: RetryPolicy(attempts: 2, delay: .seconds(5)), shell: "bash",
            workingDirectory: "./reports"),
        concurrency: 4,
        schedules: [
            ScheduleSpec(
                cron: Located("0 3 * * *"), timezone: "Europe/Paris", paused: false, catchup: .all, catchupLimit: 5,
                overlap: .cancelPrevious, jitter: .seconds(30))
        ],
        steps: [
            Step(
                id: "fetch",
                action: .run(Located("./fetch.sh --region \"${{ params.region }}\" --limit ${{ params.limit }}")),
                env: [EnvironmentEntry(name: "TOKEN", value: Located("${{ secrets.API_TOKEN }}"))],
                timeout: .seconds(300),
                retry: RetryPolicy(attempts: 4, backoff: .exponential, delay: .seconds(1), maxDelay: .seconds(30))),
            Step(
                id: "render",
                // A literal block keeps its final line break ("clip" chomping).
                action: .run(Located("print(\"rendering ${{ steps.fetch.outputs.rows }} rows\")\n")),
                needs: [Located("fetch")], condition: Located("${{ !params.dry_run }}"),
                workingDirectory: "./render", shell: "python3 {0}", retry: RetryPolicy(attempts: 3),
                continueOnError: true,
                outputs: ["report": Located("out/${{ steps.render.outputs.name }}.pdf")]),
            Step(
                id: "mail",
                action: .run(
                    Located(
                        "./mail.sh \"${{ steps.render.outputs.report }}\" \"${{ steps.render.result }}\"")),
                needs: [Located("fetch"), Located("render")], condition: Located("always()")),
        ])

    static let ragPipeline = Workflow(
        name: "ingest", description: "Crawl, chunk, embed.", file: "valid/rag-pipeline.yaml",
        params: [
            ParamSpec(name: "model", defaultValue: .string("all-minilm-l6-v2")),
            ParamSpec(name: "size", type: .int, defaultValue: .number(512)),
        ],
        steps: [
            Step(
                id: "download",
                action: .uses(
                    kind: Located("fetch"),
                    with: [
                        "url": .string("https://example.com/docs.tar"), "method": .string("GET"),
                        "headers": .object(["accept": .string("application/x-tar")]), "timeout": .string("2m"),
                        "retries": .number(3), "verbose": .bool(false),
                    ])),
            Step(
                id: "split",
                action: .uses(
                    kind: Located("chunk"),
                    with: [
                        "input": .string("${{ steps.download.outputs.path }}"), "size": .string("${{ params.size }}"),
                        "overlap": .number(0.1), "separators": .array([.string("\n\n"), .string("\n")]),
                    ]),
                needs: [Located("download")]),
            Step(
                id: "embed",
                action: .uses(
                    kind: Located("embed"),
                    with: ["model": .string("${{ params.model }}"), "batch": .number(64), "normalize": .bool(true)]),
                needs: [Located("split")]),
            Step(
                id: "announce",
                action: .uses(
                    kind: Located("notify"),
                    with: [
                        "message": .string(
                            "indexed ${{ steps.split.outputs.count }} chunks from ${{ steps.download.outputs.status }}"),
                        "channels": .array([.string("slack")]),
                        "extra": .object(["priority": .string("low"), "tags": .array([.string("rag")])]),
                    ]),
                needs: [Located("embed"), Located("download")], condition: Located("steps.embed.result == 'success'")),
        ])
}
