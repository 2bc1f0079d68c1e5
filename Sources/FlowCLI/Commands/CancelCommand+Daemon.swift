import Foundation

extension CancelCommand {
    /// `flow cancel RUN --daemon URL`: asks the daemon to cancel the run (`POST
    /// /api/v1/runs/RUN/cancel`).
    func cancel(through url: String) async throws {
        let client = try DaemonClient(url, environment: ProcessInfo.processInfo.environment)
        let answer = try await client.post("api/v1/runs/\(run)/cancel", body: [:])
        let id = (answer["run"] as? [String: Any])?["id"] as? String ?? run
        switch answer["effect"] as? String {
        case "cancelled": Console().out("run \(id) was queued; recorded as cancelled\n")
        default: Console().out("cancelling run \(id) (the daemon stops its steps)\n")
        }
    }
}
