// swift-tools-version: 6.1
// The package manifest is the architecture: dependencies point one way, down this list
// (see docs/architecture.md).
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "flow",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "flow", targets: ["flow"])
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        // Hummingbird without its swift-configuration trait (not used).
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // HTTP client of crawl, health checks, qdrant/openai and `flow run --daemon`, on the
        // SwiftNIO we already have: URLSession on Linux busy-spins a core while it waits and
        // loads libcurl and ~30 more libraries at every start (docs/benchmarks.md).
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        // Domain model, DAG, cron math, expressions, diagnostics. Pure: no I/O, no clock.
        .target(name: "FlowCore", swiftSettings: strict),
        // YAML → FlowCore, keeping file:line:column.
        .target(
            name: "FlowSpec",
            dependencies: ["FlowCore", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict),
        // Executes a RunPlan: limits, timeouts, retries, cancellation, process steps.
        .target(name: "FlowEngine", dependencies: ["FlowCore"], swiftSettings: strict),
        // Built-in step kinds.
        .target(
            name: "FlowSteps",
            dependencies: [
                "FlowCore", "FlowEngine", "FlowStore", "CLibXML2",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict),
        // libxml2 (system library): the HTML parser of `parse`, links and sitemaps of `crawl`.
        .systemLibrary(
            name: "CLibXML2", pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]),
        // SQLite records via GRDB.
        .target(
            name: "FlowStore",
            dependencies: ["FlowCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        // What the CLI and the daemon share: the project's folders, launching and recording
        // runs, secrets, retry and crash recovery.
        .target(
            name: "FlowRuntime",
            dependencies: ["FlowCore", "FlowSpec", "FlowEngine", "FlowSteps", "FlowStore"],
            swiftSettings: strict),
        // Scheduler service: a pure tick planner and persisted watermarks.
        .target(
            name: "FlowScheduler",
            dependencies: [
                "FlowCore", "FlowEngine",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        // HTTP: /healthz, /metrics, /api/v1 (Hummingbird); talks to ports it defines.
        .target(
            name: "FlowServer",
            dependencies: [
                "FlowCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        // `flow daemon`: composition root; the only place that bootstraps logging and metrics.
        .target(
            name: "FlowDaemon",
            dependencies: [
                "FlowCore", "FlowSpec", "FlowEngine", "FlowStore", "FlowRuntime", "FlowScheduler", "FlowServer",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict),
        // Command line.
        .target(
            name: "FlowCLI",
            dependencies: [
                "FlowCore", "FlowSpec", "FlowEngine", "FlowSteps", "FlowStore", "FlowRuntime", "FlowScheduler", "FlowDaemon",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict),
        .executableTarget(name: "flow", dependencies: ["FlowCLI"], swiftSettings: strict),
        // Shared fakes and builders for tests.
        .target(
            name: "FlowTesting",
            dependencies: ["FlowCore", "FlowSpec", "FlowEngine", "FlowStore"],
            swiftSettings: strict),

        .testTarget(name: "FlowCoreTests", dependencies: ["FlowCore", "FlowTesting"], swiftSettings: strict),
        .testTarget(
            name: "FlowSpecTests", dependencies: ["FlowSpec", "FlowTesting"],
            exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(name: "FlowEngineTests", dependencies: ["FlowEngine", "FlowTesting"], swiftSettings: strict),
        .testTarget(name: "FlowStoreTests", dependencies: ["FlowStore", "FlowTesting"], swiftSettings: strict),
        .testTarget(
            name: "FlowStepsTests", dependencies: ["FlowSteps", "FlowTesting"],
            exclude: [
                "Evaluate/Fixtures", "Docker/Fixtures", "VectorStore/Fixtures", "Embed/Fixtures", "Crawl/Fixtures",
                "Parse/Fixtures",
            ], swiftSettings: strict),
        .testTarget(name: "FlowRuntimeTests", dependencies: ["FlowRuntime", "FlowTesting"], swiftSettings: strict),
        .testTarget(
            name: "FlowIntegrationTests", dependencies: ["FlowCLI", "FlowTesting"],
            swiftSettings: strict),
        .testTarget(name: "FlowSchedulerTests", dependencies: ["FlowScheduler", "FlowTesting"], swiftSettings: strict),
        .testTarget(name: "FlowServerTests", dependencies: ["FlowServer", "FlowTesting"], swiftSettings: strict),
        .testTarget(name: "FlowDaemonTests", dependencies: ["FlowDaemon", "FlowTesting"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
