import FlowCore
import FlowRuntime
import Foundation
import Testing

@Suite("Project folders and secrets")
struct ProjectTests {
    let root = NSTemporaryDirectory() + "flow-project-\(UUID())"

    func write(_ relative: String, _ text: String) throws {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test("a name resolves to Workflows/ before Pipelines/, .yaml before .yml")
    func resolve() throws {
        try write("Workflows/ci.yaml", "")
        try write("Pipelines/ci.yml", "")
        try write("Pipelines/ingest.yml", "")
        let project = Project(root: root, environment: [:])
        #expect(try project.resolve("ci") == root + "/Workflows/ci.yaml")
        #expect(try project.resolve("ingest") == root + "/Pipelines/ingest.yml")
        #expect(project.databasePath == root + "/.flow/flow.db")
    }

    @Test("an unknown name lists where it looked and suggests a close one")
    func notFound() throws {
        try write("Pipelines/ingest.yaml", "")
        let project = Project(root: root, environment: [:])
        #expect {
            try project.resolve("ingset")
        } throws: { error in
            let e = error as! RuntimeError
            return e.code == .workflowNotFound && e.message.contains("Workflows/ingset.yaml")
                && e.message.hasSuffix("did you mean 'ingest'?")
        }
    }

    @Test("FLOW_DB overrides the database path")
    func databaseFromEnvironment() {
        #expect(Project(root: root, environment: ["FLOW_DB": "/var/lib/flow.db"]).databasePath == "/var/lib/flow.db")
    }

    @Test("secrets come from the environment or a file; missing required ones are named, never valued")
    func secrets() throws {
        try write("secrets/token", "s3cret-from-file\n")
        let specs = [
            SecretSpec(name: "API_KEY", source: .environment("API_KEY")),
            SecretSpec(name: "TOKEN", source: .file("secrets/token")),
            SecretSpec(name: "OPTIONAL", source: .environment("NOPE"), required: false),
        ]
        let values = try SecretResolver.resolve(specs, environment: ["API_KEY": "k-123"], baseDirectory: root)
        #expect(values == ["API_KEY": "k-123", "TOKEN": "s3cret-from-file"])
        #expect {
            try SecretResolver.resolve(
                [SecretSpec(name: "REGISTRY_PASSWORD", source: .environment("REG_PW"))], environment: [:], baseDirectory: root)
        } throws: { error in
            (error as! RuntimeError).message == "secret 'REGISTRY_PASSWORD': environment variable REG_PW is not set"
        }
    }
}
