import FlowEngine
import FlowStore
import Foundation

/// One blue-green deployment of a Compose project:
/// 1. the serving colour is read from the proxy's upstream file (none on the first deployment);
///    the new colour is the other one;
/// 2. `compose pull` and `up -d --no-deps --force-recreate` start the new colour's service with
///    the new image (the old colour's container is not touched);
/// 3. its HTTP health check is probed (retries, interval, timeout);
/// 4. the upstream file is rewritten for the new colour, the proxy is started if needed, its
///    configuration tested and reloaded — traffic moves;
/// 5. the old colour is stopped (kept, not removed, for a fast manual rollback).
///
/// A failure before step 4 completes stops the new colour and restores the upstream file: the
/// old colour keeps serving (`rolled back`).
struct BlueGreenDeployment: Sendable {
    /// Why a deployment did not complete. `rolledBack`: an old colour serves on.
    struct Failure: Error, Sendable {
        var message: String
        var rolledBack: Bool
    }

    var options: DeployOptions
    var compose: ComposeTool
    var tool: ToolProcess
    var log: StepLog

    /// Runs the deployment, filling `record`'s colours.
    /// - Throws: `Failure` for a deployment that did not complete, `StepFailure` for a bad
    ///   setup found before anything started, `CancellationError`.
    func run(_ record: inout DeploymentRecord) async throws {
        let upstreamPath = options.proxyConfig!
        let previousText = try? String(contentsOfFile: upstreamPath, encoding: .utf8)
        let active = previousText.flatMap(ProxyUpstream.colour(inFileText:)).flatMap { DeployOptions.colours.contains($0) ? $0 : nil }
        let colour = active == "blue" ? "green" : "blue"
        let service = options.serviceName(colour)
        record.colour = colour
        record.previousColour = active
        log.write(
            "blue-green: \(active.map { "\($0) serves now" } ?? "nothing serves yet"); deploying \(options.image) to \(colour) (\(service))"
        )

        func abandon(_ reason: String) async throws -> Failure {
            let stop = try await tool.run(compose.command("stop", service))
            if !stop.succeeded { log.write("warning: stopping \(service) failed (\(stop.reason))") }
            let rolledBack = active != nil
            let tail = rolledBack ? "; \(active!) keeps serving" : "; nothing was serving before"
            return Failure(message: "deploy: \(reason)\(tail)", rolledBack: rolledBack)
        }

        if options.pull {
            let pull = try await tool.run(compose.command("pull", service))
            if !pull.succeeded { throw try await abandon("pulling \(service) failed (\(pull.reason))") }
        }
        let up = try await tool.run(compose.command("up", "-d", "--no-deps", "--force-recreate", service))
        if !up.succeeded { throw try await abandon("starting \(service) failed (\(up.reason))") }

        guard let url = URL(string: options.healthURLs[colour]!), url.scheme == "http" || url.scheme == "https" else {
            throw try await abandon("health_url for \(colour) is not an http(s) URL")
        }
        let probe = HealthProbe(url: url, attempts: options.healthRetries, interval: options.healthInterval, timeout: options.healthTimeout)
        switch try await probe.run(onAttempt: { log.write($0) }) {
        case .healthy:
            break
        case .unhealthy(let last):
            let logs = try await tool.run(compose.command("logs", "--tail", "20", service))
            _ = logs
            throw try await abandon(
                "\(colour) failed its health check \(url.absoluteString) after \(options.healthRetries) attempt(s): \(last)")
        }

        // Switch traffic.
        let upstream = ProxyUpstream(name: options.upstreamName, colour: colour, address: options.upstreams[colour]!)
        func restore() {
            if let previousText {
                try? ProxyUpstream.write(previousText, to: upstreamPath)
            } else {
                try? FileManager.default.removeItem(atPath: upstreamPath)
            }
        }
        do {
            try ProxyUpstream.write(upstream.text, to: upstreamPath)
        } catch {
            throw try await abandon("cannot write \(upstreamPath): \(error.localizedDescription)")
        }
        log.write("blue-green: upstream '\(options.upstreamName)' → \(upstream.address) (\(colour))")
        let proxyUp = try await tool.run(compose.command("up", "-d", "--no-deps", options.proxyService))
        if !proxyUp.succeeded {
            restore()
            throw try await abandon("starting the proxy \(options.proxyService) failed (\(proxyUp.reason))")
        }
        let test = try await tool.run(compose.command(["exec", "-T", options.proxyService] + options.testCommand))
        if !test.succeeded {
            restore()
            throw try await abandon("the proxy rejected the new upstream (\(test.reason))")
        }
        let reload = try await tool.run(compose.command(["exec", "-T", options.proxyService] + options.reloadCommand))
        if !reload.succeeded {
            restore()
            let back = try await tool.run(compose.command(["exec", "-T", options.proxyService] + options.reloadCommand))
            if !back.succeeded { log.write("warning: reloading the proxy with the old upstream failed too (\(back.reason))") }
            throw try await abandon("reloading the proxy failed (\(reload.reason))")
        }
        log.write("blue-green: traffic switched to \(colour)")

        if let active, options.stopOld {
            let old = options.serviceName(active)
            let stop = try await tool.run(compose.command("stop", old))
            if !stop.succeeded { log.write("warning: stopping the old colour \(old) failed (\(stop.reason)); it keeps running idle") }
        }
    }
}
