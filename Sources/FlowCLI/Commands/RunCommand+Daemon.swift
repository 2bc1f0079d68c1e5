import Foundation

extension RunCommand {
    /// `flow run NAME --daemon URL`: asks the daemon to start the run (`POST
    /// /api/v1/workflows/NAME/runs`) and prints its id; the daemon validates and records it.
    func submit(to url: String, params: [String: String], environment: [String: String]) async throws {
        guard !dryRun else { throw CLIFailure(.usage, "error: --dry-run and --daemon cannot be combined\n") }
        guard concurrency == nil else { throw CLIFailure(.usage, "error: --concurrency and --daemon cannot be combined\n") }
        let client = try DaemonClient(url, environment: environment)
        let answer = try await client.post("api/v1/workflows/\(workflow)/runs", body: ["params": params])
        let run = answer["run"] as? [String: Any] ?? [:]
        switch output {
        case .json: Console().out(DaemonClient.json(run))
        case .text:
            Console().out(
                "queued run \(run["id"] as? String ?? "?") of \(run["workflow"] as? String ?? workflow) on \(client.base.absoluteString)\n")
        }
    }
}
