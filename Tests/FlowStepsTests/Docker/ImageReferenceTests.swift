import Testing

@testable import FlowSteps

/// Cases follow the grammar and examples of distribution/reference (reference.go,
/// normalize.go): the first component is a registry only with a '.' or ':' or as 'localhost'.
@Suite("Image references")
struct ImageReferenceTests {
    @Test(
        "split into registry, repository, tag and digest",
        arguments: [
            ("127.0.0.1:5000/flow/app:v1", "127.0.0.1:5000", "flow/app", "v1", nil),
            ("localhost/app", "localhost", "app", nil, nil),
            ("ubuntu", "docker.io", "ubuntu", nil, nil),
            ("library/ubuntu:22.04", "docker.io", "library/ubuntu", "22.04", nil),
            ("ghcr.io/o/r@sha256:abc", "ghcr.io", "o/r", nil, "sha256:abc"),
            ("reg:5000/a:t@sha256:abc", "reg:5000", "a", "t", "sha256:abc"),
        ] as [(String, String, String, String?, String?)])
    func split(text: String, registry: String, repository: String, tag: String?, digest: String?) throws {
        let r = try #require(ImageReference(text))
        #expect(r.registry == registry)
        #expect(r.repository == repository)
        #expect(r.tag == tag)
        #expect(r.digest == digest)
    }

    @Test("rejects empty parts", arguments: ["", "a:", "a@", "reg:5000//a", ":t"])
    func invalid(text: String) {
        #expect(ImageReference(text) == nil)
    }

    @Test("pins by digest without the tag")
    func pinned() {
        #expect(ImageReference("127.0.0.1:5000/flow:v1")?.pinned(to: "sha256:ab") == "127.0.0.1:5000/flow@sha256:ab")
        #expect(ImageReference("ubuntu:22.04")?.pinned(to: "sha256:ab") == "ubuntu@sha256:ab")
    }

    @Test("the digest comes from docker push's last line")
    func pushDigest() {
        // Output format of `docker push` (distribution's manifest put, docker CLI jsonmessage).
        let hex = String(repeating: "0123456789abcdef", count: 4)
        let output = """
            The push refers to repository [127.0.0.1:5000/flow]
            5f70bf18a086: Pushed
            v1: digest: sha256:\(hex) size: 528
            """
        #expect(PushExecutor.digest(inPushOutput: output) == "sha256:" + hex)
        #expect(PushExecutor.digest(inPushOutput: "v1: digest: sha256:abc size: 1") == nil)
    }
}
