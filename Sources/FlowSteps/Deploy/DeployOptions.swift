import FlowCore
import FlowEngine

/// What one `deploy` step does, read from its inputs.
struct DeployOptions: Sendable {
    var project: String
    var files: [String]
    var strategy: String
    var image: String
    var imageVariable: String
    /// Compose interpolation variables; `imageVariable` is added as `image`.
    var variables: [String: String]
    var pull: Bool
    var docker: String
    // Blue-green only.
    var service: String
    var healthURLs: [String: String]
    var healthRetries: Int
    var healthInterval: Duration
    var healthTimeout: Duration
    var proxyService: String
    /// Absolute path of the upstream file.
    var proxyConfig: String?
    var upstreams: [String: String]
    var upstreamName: String
    var reloadCommand: [String]
    var testCommand: [String]
    var stopOld: Bool

    static let colours = ["blue", "green"]

    /// Reads and checks the inputs.
    /// - Throws: `StepFailure` (permanent) for missing or inconsistent inputs.
    init(_ inputs: DockerStepInputs, workingDirectory: String) throws(StepFailure) {
        project = try inputs.requiredString("project")
        files = try inputs.list("files")
        strategy = try inputs.choice("strategy", ["recreate", "blue-green"], default: "recreate")
        image = try inputs.requiredString("image")
        imageVariable = try inputs.string("image_variable") ?? "IMAGE"
        variables = try inputs.map("env")
        variables[imageVariable] = image
        pull = try inputs.bool("pull", default: true)
        docker = try inputs.string("docker") ?? "docker"
        service = try inputs.string("service") ?? "app"
        healthURLs = try inputs.map("health_url")
        healthRetries = try inputs.int("health_retries", default: 30, in: 1...10_000)
        healthInterval = try inputs.duration("health_interval", default: .seconds(2))
        healthTimeout = try inputs.duration("health_timeout", default: .seconds(5))
        proxyService = try inputs.string("proxy_service") ?? "proxy"
        proxyConfig = try inputs.string("proxy_config").map { $0.hasPrefix("/") ? $0 : workingDirectory + "/" + $0 }
        upstreams = try inputs.map("upstreams")
        upstreamName = try inputs.string("upstream_name") ?? "app"
        let reload = try inputs.list("reload_command")
        reloadCommand = reload.isEmpty ? ["nginx", "-s", "reload"] : reload
        let test = try inputs.list("test_command")
        testCommand = test.isEmpty ? ["nginx", "-t"] : test
        stopOld = try inputs.bool("stop_old", default: true)

        guard strategy == "blue-green" else { return }
        guard proxyConfig != nil else {
            throw StepFailure("deploy: strategy blue-green needs 'proxy_config' (the upstream file the proxy includes)", permanent: true)
        }
        for colour in Self.colours where healthURLs[colour] == nil {
            throw StepFailure(
                "deploy: strategy blue-green needs 'health_url' for \(colour) (health_url: {blue: URL, green: URL})", permanent: true)
        }
        for key in Array(healthURLs.keys) + Array(upstreams.keys) where !Self.colours.contains(key) {
            throw StepFailure("deploy: unknown colour '\(key)' (colours: blue, green)", permanent: true)
        }
        for colour in Self.colours where upstreams[colour] == nil {
            upstreams[colour] = "\(service)-\(colour):80"
        }
    }

    /// The compose service of a colour: `<service>-<colour>`.
    func serviceName(_ colour: String) -> String { "\(service)-\(colour)" }
}
