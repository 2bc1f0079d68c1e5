/// The parts of an image reference (`[registry/]repository[:tag][@digest]`) as Docker's
/// reference grammar (distribution/reference, `reference.go`) splits them: the first
/// path component is a registry host when it holds a `.` or a `:` or is `localhost`;
/// otherwise the image lives on Docker Hub (`docker.io`).
struct ImageReference: Sendable, Equatable {
    /// `host[:port]`; `docker.io` when the reference names none.
    var registry: String
    /// The repository path as written (without registry, tag or digest).
    var repository: String
    var tag: String?
    var digest: String?

    /// Splits `text`; nil when it is empty or has an empty part.
    init?(_ text: String) {
        var rest = Substring(text)
        if let at = rest.firstIndex(of: "@") {
            digest = String(rest[rest.index(after: at)...])
            rest = rest[..<at]
        }
        let slash = rest.lastIndex(of: "/")
        if let colon = rest.lastIndex(of: ":"), slash.map({ colon > $0 }) ?? true {
            tag = String(rest[rest.index(after: colon)...])
            rest = rest[..<colon]
        }
        let components = rest.split(separator: "/", omittingEmptySubsequences: false)
        if components.count > 1, let first = components.first,
            first.contains(".") || first.contains(":") || first == "localhost"
        {
            registry = String(first)
            repository = components.dropFirst().joined(separator: "/")
        } else {
            registry = "docker.io"
            repository = String(rest)
        }
        if repository.isEmpty || tag == "" || digest == "" || components.contains(where: \.isEmpty) { return nil }
    }

    /// `registry/repository@digest` (the registry omitted for Docker Hub, as written).
    func pinned(to digest: String) -> String {
        (registry == "docker.io" ? "" : registry + "/") + repository + "@" + digest
    }
}
