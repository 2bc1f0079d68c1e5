import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real HTTP server on 127.0.0.1 for crawl tests: nginx serving a folder (ETag and
/// Last-Modified on static files), or a Python script. Started by the test, stopped by it;
/// readiness is awaited by polling TCP connects, never by sleeping blindly.
final class LoopbackServer {
    let port: Int
    let folder: String
    private let process: Process

    var base: String { "http://127.0.0.1:\(port)" }

    /// nginx with a generated configuration serving `root`; its access log records each
    /// request's URI, status, body size and conditional headers.
    static func nginx(root: String, executable: String) throws -> LoopbackServer {
        let folder = try IngestFixtures.temporaryFolder("nginx")
        let port = try freePort()
        let config = """
            worker_processes 1;
            daemon off;
            pid \(folder)/nginx.pid;
            error_log \(folder)/error.log warn;
            events { worker_connections 256; }
            http {
                include /etc/nginx/mime.types;
                default_type application/octet-stream;
                log_format flow '$request_method $request_uri $status $body_bytes_sent "$http_if_none_match" "$http_if_modified_since"';
                access_log \(folder)/access.log flow;
                client_body_temp_path \(folder)/body;
                proxy_temp_path \(folder)/proxy;
                sendfile on;
                etag on;
                server {
                    listen 127.0.0.1:\(port);
                    root \(root);
                }
            }
            """
        try config.write(toFile: folder + "/nginx.conf", atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-p", folder, "-c", folder + "/nginx.conf"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        let server = LoopbackServer(port: port, folder: folder, process: process)
        try server.waitUntilListening()
        return server
    }

    /// `python3 script` started with the port as its argument.
    static func python(script: String, arguments: [String] = []) throws -> LoopbackServer {
        let folder = try IngestFixtures.temporaryFolder("pyserver")
        let port = try freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, String(port), folder] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let server = LoopbackServer(port: port, folder: folder, process: process)
        try server.waitUntilListening()
        return server
    }

    private init(port: Int, folder: String, process: Process) {
        self.port = port
        self.folder = folder
        self.process = process
    }

    /// Stops the server: SIGTERM, then SIGKILL if it is still running 5 s later (a child can
    /// inherit blocked signals from the test runner).
    func stop() {
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning, Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Lines of the access log (nginx) or request log (scripts) so far.
    func logLines(_ name: String = "access.log") -> [String] {
        let text = (try? String(contentsOfFile: folder + "/" + name, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    /// Polls TCP connects to the port until one succeeds (10 s at most).
    private func waitUntilListening() throws {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if Self.canConnect(port) { return }
            guard process.isRunning else { break }
            usleep(20_000)
        }
        stop()
        throw ServerError(message: "the test server did not listen on 127.0.0.1:\(port)")
    }

    struct ServerError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    static func canConnect(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result == 0
    }

    /// A port the kernel just handed out on 127.0.0.1 (bound to port 0, then released).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError(message: "socket() failed") }
        defer { close(fd) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw ServerError(message: "bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw ServerError(message: "getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
