import FlowEngine
import Foundation

/// A private folder for the files one attempt of a container step hands to its tools (image
/// id file, build metadata, a throw-away docker configuration holding registry credentials),
/// created with mode 700 under `<workspace>/.flow-tmp/` and removed when the attempt ends.
struct DockerScratch: Sendable {
    /// Absolute path of the folder.
    let folder: String

    /// Creates a fresh folder for `invocation`'s attempt.
    /// - Throws: `StepFailure` when the folder cannot be created.
    static func make(in invocation: StepInvocation, kind: String) throws(StepFailure) -> DockerScratch {
        let safe = invocation.stepID.rawValue.map { $0.isLetter || $0.isNumber || $0 == "-" ? String($0) : "_" }.joined()
        let base = invocation.workspace + "/.flow-tmp"
        let folder = base + "/\(kind)-\(safe)-\(invocation.attempt)-\(UUID().uuidString.prefix(8))"
        do {
            try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        } catch {
            throw StepFailure("\(kind): cannot create a scratch folder in \(base): \(error.localizedDescription)")
        }
        return DockerScratch(folder: folder)
    }

    func path(_ name: String) -> String { folder + "/" + name }

    /// Removes the folder and everything in it (errors ignored: it is scratch).
    func remove() {
        try? FileManager.default.removeItem(atPath: folder)
    }
}
