import Foundation

/// URL handling for the crawler: resolving links and one normal form per page, so that
/// the same page reached by different spellings is fetched once.
///
/// Normal form: scheme and host lowercased, default ports (80, 443) dropped, empty path
/// written `/`, dot segments removed, fragment dropped, query kept as written. Only `http`,
/// `https` and `file` URLs are crawled.
enum CrawlURL {
    /// `href` resolved against `base` and normalised; nil for other schemes (`mailto:`,
    /// `javascript:` …) and for text that is not a URL.
    static func resolve(_ href: String, against base: URL) -> URL? {
        let trimmed = href.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return normalize(base) }
        let escaped = trimmed.replacingOccurrences(of: " ", with: "%20")
        guard let url = URL(string: escaped, relativeTo: base)?.absoluteURL else { return nil }
        return normalize(url)
    }

    /// `url` in normal form, or nil when its scheme is not crawled.
    static func normalize(_ url: URL) -> URL? {
        guard var parts = URLComponents(url: url.absoluteURL, resolvingAgainstBaseURL: true),
            let scheme = parts.scheme?.lowercased(), ["http", "https", "file"].contains(scheme)
        else { return nil }
        parts.scheme = scheme
        parts.fragment = nil
        if scheme == "file" {
            parts.host = nil
            parts.port = nil
        } else {
            guard let host = parts.host, !host.isEmpty else { return nil }
            parts.host = host.lowercased()
            if (scheme == "http" && parts.port == 80) || (scheme == "https" && parts.port == 443) { parts.port = nil }
            parts.user = nil
            parts.password = nil
        }
        if parts.percentEncodedPath.isEmpty { parts.percentEncodedPath = "/" }
        guard let normal = parts.url?.standardized else { return nil }
        return normal
    }

    /// The URL's path with `?query`, as sent in a request line (robots.txt rules and
    /// `allow`/`deny` patterns match this). For `file` URLs, the decoded file path.
    static func pathAndQuery(_ url: URL) -> String {
        if url.isFileURL { return url.path }
        let parts = URLComponents(url: url, resolvingAgainstBaseURL: true)
        var path = parts?.percentEncodedPath ?? "/"
        if path.isEmpty { path = "/" }
        if let query = parts?.percentEncodedQuery { path += "?" + query }
        return path
    }

    /// The host a URL belongs to for rate limits and robots.txt: `scheme://host[:port]`.
    static func origin(_ url: URL) -> String {
        let scheme = url.scheme?.lowercased() ?? ""
        let host = url.host?.lowercased() ?? ""
        if let port = url.port { return "\(scheme)://\(host):\(port)" }
        return "\(scheme)://\(host)"
    }
}
