import Foundation
import Glibc
import Testing

@testable import FlowEngine

/// `Spawner.resolve`: `execvp(3)`'s search order (POSIX "Command Search and Execution"), with
/// a shell-like hash that is dropped when the file found goes away.
@Suite("Command search")
struct CommandSearchTests {
    let root = NSTemporaryDirectory() + "flow-search-\(UUID())"

    func make(_ path: String, mode: mode_t, script: String = "#!/bin/sh\n") throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(script.utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, mode)
    }

    @Test("the first executable in PATH wins, and is remembered; every search looks again")
    func searchOrder() throws {
        let path = "\(root)/a:\(root)/b"
        try make("\(root)/b/tool", mode: 0o755)
        #expect(Spawner.resolve("tool", searchPath: path, workingDirectory: nil) == ("\(root)/b/tool", 0))
        #expect(Spawner.remembered("tool", searchPath: path, workingDirectory: nil) == "\(root)/b/tool")
        try make("\(root)/a/tool", mode: 0o755)
        unlink("\(root)/b/tool")
        #expect(Spawner.resolve("tool", searchPath: path, workingDirectory: nil) == ("\(root)/a/tool", 0))
        #expect(Spawner.remembered("tool", searchPath: path, workingDirectory: nil) == "\(root)/a/tool")
    }

    @Test("a spawn runs the remembered command without looking, and searches again once it is gone")
    func spawnAfterRemoval() async throws {
        let path = "\(root)/s1:\(root)/s2"
        try make("\(root)/s2/tool", mode: 0o755, script: "#!/bin/sh\necho second\n")
        let request = ProcessRequest(arguments: ["tool"], environment: ["PATH": path])
        let (first, firstOutput) = await ProcessFixture.run(request)
        #expect(first == .exited(0))
        #expect(firstOutput.text(.stdout) == ["second"])
        try make("\(root)/s1/tool", mode: 0o755, script: "#!/bin/sh\necho first\n")
        unlink("\(root)/s2/tool")
        let (second, secondOutput) = await ProcessFixture.run(request)
        #expect(second == .exited(0))
        #expect(secondOutput.text(.stdout) == ["first"])
    }

    @Test("a file that is not executable is EACCES; nothing at all is ENOENT")
    func failures() throws {
        try make("\(root)/c/plain", mode: 0o644)
        let searched = Spawner.resolve("plain", searchPath: "\(root)/c", workingDirectory: nil)
        #expect(searched.0 == nil && searched.1 == EACCES)
        let missing = Spawner.resolve("no-such-tool", searchPath: "\(root)/c", workingDirectory: nil)
        #expect(missing.0 == nil && missing.1 == ENOENT)
    }

    @Test("a relative PATH entry is relative to the step's working directory")
    func relativeEntry() throws {
        try make("\(root)/w1/bin/tool", mode: 0o755)
        try make("\(root)/w2/bin/tool", mode: 0o755)
        #expect(Spawner.resolve("tool", searchPath: "bin", workingDirectory: "\(root)/w1") == ("bin/tool", 0))
        unlink("\(root)/w2/bin/tool")
        let other = Spawner.resolve("tool", searchPath: "bin", workingDirectory: "\(root)/w2")
        #expect(other.0 == nil && other.1 == ENOENT)
    }
}
