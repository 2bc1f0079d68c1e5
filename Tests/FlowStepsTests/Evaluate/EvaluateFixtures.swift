import Foundation
import Testing

/// Locates the Evaluate fixtures (read from the source tree, so no bundle resources are
/// needed) and the shared Cranfield data.
enum EvaluateFixtures {
    /// `Tests/FlowStepsTests/Evaluate/Fixtures`.
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func path(_ relative: String) -> String {
        directory.appendingPathComponent(relative).path
    }

    static func text(_ relative: String) throws -> String {
        try String(contentsOfFile: path(relative), encoding: .utf8)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ relative: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(contentsOf: URL(fileURLWithPath: path(relative))))
    }

    /// The Cranfield collection: `../shared/data/cranfield` beside the repository (as CI lays
    /// it out), else `$CRANFIELD_DIR`, else `/work/shared/data/cranfield`.
    static var cranfieldDirectory: String? {
        let repository = directory.deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [
            repository.deletingLastPathComponent().appendingPathComponent("shared/data/cranfield")
                .path,
            ProcessInfo.processInfo.environment["CRANFIELD_DIR"] ?? "",
            "/work/shared/data/cranfield",
        ]
        return candidates.first { !$0.isEmpty && FileManager.default.fileExists(atPath: $0 + "/cranqrel") }
    }

    /// Cranfield's `cranqrel` as TREC qrels, with the grade convention of the data's README:
    /// code 1...4 → grade 5 - code, -1 → grade 0. The same conversion as generate.py's.
    static func cranfieldQrels() throws -> [String: [String: Int]] {
        let directory = try #require(cranfieldDirectory, "the Cranfield data is missing")
        let text = try String(contentsOfFile: directory + "/cranqrel", encoding: .utf8)
        var judgements: [String: [String: Int]] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(whereSeparator: \.isWhitespace)
            guard fields.count == 3, let code = Int(fields[2]) else { continue }
            judgements[String(fields[0]), default: [:]][String(fields[1])] =
                (1...4).contains(code) ? 5 - code : 0
        }
        return judgements
    }
}
