import Foundation

/// The reverse proxy's upstream file a blue-green deployment rewrites to move traffic: an nginx
/// `upstream` block naming the serving colour's address, headed by a marker line that records
/// the colour (`# flow-colour: green`), so the next deployment knows what serves now.
///
/// Written as (nginx `upstream` directive, ngx_http_upstream_module):
/// ```
/// # flow-colour: green
/// upstream app { server app-green:8080; }
/// ```
/// The proxy must mount the file's folder, not the file: the file is replaced by a rename,
/// and a bind-mounted single file would keep showing the old inode.
struct ProxyUpstream: Sendable, Equatable {
    var name: String
    var colour: String
    /// `host:port` as the proxy reaches the colour.
    var address: String

    var text: String {
        "# flow-colour: \(colour)\n# Written by flow's deploy step; rewritten on every blue-green switch.\nupstream \(name) { server \(address); }\n"
    }

    /// The colour in a file's marker line; nil when the file has none (not written by us).
    static func colour(inFileText text: String) -> String? {
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("# flow-colour:") {
                let colour = trimmed.dropFirst("# flow-colour:".count).trimmingCharacters(in: .whitespaces)
                return colour.isEmpty ? nil : colour
            }
        }
        return nil
    }

    /// Replaces `path` atomically (write beside it, then rename) with `text`.
    /// - Throws: the file system's error.
    static func write(_ text: String, to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder.isEmpty ? "." : folder, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
