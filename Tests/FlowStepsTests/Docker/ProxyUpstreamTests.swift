import FlowCore
import FlowEngine
import Testing

@testable import FlowSteps

@Suite("Blue-green proxy upstream file")
struct ProxyUpstreamTests {
    @Test("the file is an nginx upstream block headed by the colour marker, which reads back")
    func roundTrip() {
        let upstream = ProxyUpstream(name: "app", colour: "green", address: "app-green:8080")
        #expect(upstream.text.hasSuffix("upstream app { server app-green:8080; }\n"))
        #expect(ProxyUpstream.colour(inFileText: upstream.text) == "green")
        #expect(ProxyUpstream.colour(inFileText: "upstream app { server x:1; }\n") == nil)
    }

    @Test("blue-green options need a proxy file and both health URLs; colours default their upstreams")
    func options() throws {
        let base: [String: ExpressionValue] = [
            "project": .string("p"), "image": .string("i:1"), "strategy": .string("blue-green"),
            "proxy_config": .string("proxy/upstream.conf"),
            "health_url": .object(["blue": .string("http://127.0.0.1:1/"), "green": .string("http://127.0.0.1:2/")]),
        ]
        let o = try DeployOptions(DockerStepInputs(base, kind: "deploy"), workingDirectory: "/w")
        #expect(o.proxyConfig == "/w/proxy/upstream.conf")
        #expect(o.upstreams == ["blue": "app-blue:80", "green": "app-green:80"])
        #expect(o.variables == ["IMAGE": "i:1"])
        #expect(o.serviceName("green") == "app-green")
        var missing = base
        missing["health_url"] = .object(["blue": .string("http://127.0.0.1:1/")])
        #expect(throws: StepFailure.self) { try DeployOptions(DockerStepInputs(missing, kind: "deploy"), workingDirectory: "/w") }
        var noProxy = base
        noProxy["proxy_config"] = nil
        #expect(throws: StepFailure.self) { try DeployOptions(DockerStepInputs(noProxy, kind: "deploy"), workingDirectory: "/w") }
    }
}
