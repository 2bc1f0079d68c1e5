import Foundation
import Testing

/// Locates the fixtures of the Embed, Upsert and VectorStore tests (read from the source tree)
/// and makes scratch folders.
enum VectorFixtures {
    /// `Tests/FlowStepsTests`.
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

    /// `Tests/FlowStepsTests/<area>/Fixtures/<name>`.
    static func path(_ area: String, _ name: String) -> String {
        testsDirectory.appendingPathComponent(area).appendingPathComponent("Fixtures").appendingPathComponent(name).path
    }

    static func json(_ area: String, _ name: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path(area, name))))
    }

    /// A new empty folder under the system's temporary folder.
    static func scratchDirectory(_ label: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("flow-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// The Cranfield collection: `../shared/data/cranfield` beside the repository (as CI lays it
    /// out), else `$CRANFIELD_DIR`, else `/work/shared/data/cranfield`; nil when absent.
    static var cranfieldDirectory: String? {
        let repository = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [
            repository.deletingLastPathComponent().appendingPathComponent("shared/data/cranfield").path,
            ProcessInfo.processInfo.environment["CRANFIELD_DIR"] ?? "",
            "/work/shared/data/cranfield",
        ]
        return candidates.first { !$0.isEmpty && FileManager.default.fileExists(atPath: $0 + "/cran.all.1400") }
    }

    /// Whether this is a CI run (`CI=true`), where missing tools fail tests instead of skipping them.
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Skips (locally) or fails (in CI) a test that cannot run here; prints why either way.
    static func unavailable(_ reason: String, sourceLocation: SourceLocation = #_sourceLocation) {
        if isCI {
            Issue.record("not run in CI: \(reason)", sourceLocation: sourceLocation)
        } else {
            print("skipped: \(reason)")
        }
    }
}
