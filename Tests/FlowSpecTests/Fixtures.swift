import Foundation

/// Where the test fixtures live: next to this file in the source tree (found through
/// `#filePath`, so golden files can be rewritten in place with `FLOW_UPDATE_GOLDEN=1`).
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Base names (without `.yaml`) of the YAML files in `Fixtures/<folder>`, sorted.
    static func cases(in folder: String) -> [String] {
        let url = directory.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    static func text(_ folder: String, _ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(folder).appendingPathComponent(name), encoding: .utf8)
    }
}
