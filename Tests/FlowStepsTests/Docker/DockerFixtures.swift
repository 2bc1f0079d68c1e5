import Foundation

/// The fixtures of the container kinds' tests, read from the source tree
/// (`Tests/FlowStepsTests/Docker/Fixtures`).
enum DockerFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func path(_ relative: String) -> String {
        directory.appendingPathComponent(relative).path
    }

    static func data(_ relative: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path(relative)))
    }

    /// `trivy-fs-bad.expected`: `severity count` lines and an `ids a,b,…` line.
    static func expectedCounts() throws -> (counts: [String: Int], ids: [String]) {
        let text = try String(contentsOfFile: path("trivy-fs-bad.expected"), encoding: .utf8)
        var counts: [String: Int] = [:]
        var ids: [String] = []
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            if parts[0] == "ids" { ids = parts[1].split(separator: ",").map(String.init) } else { counts[parts[0]] = Int(parts[1]) }
        }
        return (counts, ids)
    }
}
