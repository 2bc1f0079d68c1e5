import FlowCore
import FlowStore
import Foundation

/// The part of a crawl that runs concurrently: fetching one URL (HTTP with pacing, robots.txt,
/// retries and conditional requests; or a local file), saving the page and finding its links.
/// Holds only `Sendable` state; the crawl's bookkeeping stays in `Crawler`.
struct PageFetcher: Sendable {
    enum Role: Sendable { case page, sitemap }

    /// One URL to visit.
    struct Visit: Sendable {
        var url: URL
        var depth: Int
        var role: Role
        var redirects: Int
    }

    /// A body in hand, fresh or reused.
    struct Fetched: Sendable {
        var status: Int
        var contentType: String?
        var etag: String?
        var lastModified: String?
        var body: [UInt8]
        var hash: String
        /// True when the body was downloaded (or a local file read because it changed).
        var downloaded: Bool
        var changed: Bool
    }

    enum Outcome: Sendable {
        /// A page kept for pages.jsonl, saved at `path`; `links` to follow.
        case page(Fetched, path: String, links: [URL])
        /// A sitemap's entries.
        case sitemap(Fetched, pages: [URL], sitemaps: [URL])
        /// Fetched, but of a type `parse` does not read.
        case skipped(Fetched)
        case redirect(to: URL, status: Int)
        /// 404 or 410, or a missing local file.
        case gone(status: Int)
        case disallowed
        /// No usable response after retries; `reason` says why.
        case failed(reason: String)
    }

    let options: CrawlOptions
    let scope: String
    let previous: [String: CrawlStateEntry]
    let store: CrawlStateStore?
    let http: HTTPFetcher
    let pacer: HostPacer<ContinuousClock>
    let robots: RobotsCache
    let pagesFolder: String
    let now: @Sendable () -> Date

    /// Media types kept as pages (what `parse` reads).
    static let keptTypes: Set<String> = [
        "text/html", "application/xhtml+xml", "text/plain", "text/markdown", "text/x-markdown", "application/pdf",
    ]

    static func mediaType(_ contentType: String?) -> String {
        String((contentType ?? "").split(separator: ";").first ?? "").filter { $0 != " " && $0 != "\t" }.lowercased()
    }

    func visit(_ visit: Visit) async throws -> Outcome {
        if visit.url.isFileURL { return try visitFile(visit) }
        let origin = CrawlURL.origin(visit.url)
        var crawlDelay: Double?
        if options.obeyRobots {
            let rules = await robots.rules(for: origin) { [self] in await loadRobots(origin: origin) }
            try Task.checkCancellation()
            guard rules.allows(CrawlURL.pathAndQuery(visit.url)) else { return .disallowed }
            crawlDelay = rules.crawlDelay
        }
        let key = visit.url.absoluteString
        let before = previous[key]
        let cached = try before.flatMap { entry -> [UInt8]? in
            entry.role == .skipped ? nil : try store?.body(hash: entry.hash)
        }
        var headers = Self.baseHeaders
        if let before, before.role == .skipped || cached != nil {
            if let etag = before.etag { headers["If-None-Match"] = etag }
            if let lastModified = before.lastModified { headers["If-Modified-Since"] = lastModified }
        }
        let response: HTTPFetcher.Response
        switch try await get(visit.url, headers: headers, interval: options.interval(crawlDelay: crawlDelay)) {
        case .success(let r): response = r
        case .failure(let reason): return .failed(reason: reason)
        }
        switch response.status {
        case 200...299:
            let hash = SHA256.hexDigest(response.body)
            let fetched = Fetched(
                status: response.status, contentType: response.header("content-type"), etag: response.header("etag"),
                lastModified: response.header("last-modified"), body: response.body, hash: hash, downloaded: true,
                changed: before?.hash != hash)
            return try classify(visit, fetched, previousRole: before?.role)
        case 304:
            guard let before else { return .failed(reason: "HTTP 304 to an unconditional request") }
            let fetched = Fetched(
                status: 304, contentType: before.contentType, etag: response.header("etag") ?? before.etag,
                lastModified: response.header("last-modified") ?? before.lastModified, body: cached ?? [],
                hash: before.hash, downloaded: false, changed: false)
            return try classify(visit, fetched, previousRole: before.role)
        case 301, 302, 303, 307, 308:
            guard let location = response.header("location"),
                let target = CrawlURL.resolve(location, against: visit.url)
            else { return .failed(reason: "HTTP \(response.status) without a usable Location") }
            return .redirect(to: target, status: response.status)
        case 404, 410:
            return .gone(status: response.status)
        default:
            return .failed(reason: "HTTP \(response.status)")
        }
    }

    static let baseHeaders: [String: String] = [
        "User-Agent": "flow (+https://github.com/flow/flow; crawl step)",
        "Accept": "text/html,application/xhtml+xml,text/markdown,text/plain;q=0.9,application/pdf;q=0.9,*/*;q=0.1",
    ]

    /// Sorts a body into page, sitemap or skipped; saves pages; records the state.
    func classify(_ visit: Visit, _ fetched: Fetched, previousRole: CrawlStateEntry.Role?) throws -> Outcome {
        let key = visit.url.absoluteString
        let media = Self.mediaType(fetched.contentType)
        switch visit.role {
        case .sitemap:
            guard let contents = SitemapReader.read(fetched.body) else {
                return .failed(reason: "not a sitemap (no <urlset> or <sitemapindex>)")
            }
            try record(key, .sitemap, fetched, storeBody: true)
            return .sitemap(
                fetched, pages: contents.pages.compactMap { CrawlURL.resolve($0, against: visit.url) },
                sitemaps: contents.sitemaps.compactMap { CrawlURL.resolve($0, against: visit.url) })
        case .page:
            guard Self.keptTypes.contains(media) else {
                try record(key, .skipped, fetched, storeBody: false)
                return .skipped(fetched)
            }
            try record(key, .page, fetched, storeBody: true)
            let path = try save(fetched.body, url: key, media: media)
            var links: [URL] = []
            if media == "text/html" || media == "application/xhtml+xml" {
                let found = HTMLLinks.extract(fetched.body, encoding: Self.charset(fetched.contentType))
                let base = found.base.flatMap { CrawlURL.resolve($0, against: visit.url) } ?? visit.url
                links = found.hrefs.compactMap { CrawlURL.resolve($0, against: base) }
            }
            return .page(fetched, path: path, links: links)
        }
    }

    func record(_ url: String, _ role: CrawlStateEntry.Role, _ fetched: Fetched, storeBody: Bool) throws {
        guard let store else { return }
        let time = now()
        let fetchedAt = fetched.downloaded ? time : (previous[url]?.fetchedAt ?? time)
        let entry = CrawlStateEntry(
            url: url, role: role, status: fetched.downloaded ? fetched.status : (previous[url]?.status ?? 200),
            contentType: fetched.contentType, etag: fetched.etag, lastModified: fetched.lastModified,
            hash: fetched.hash, size: fetched.downloaded ? fetched.body.count : (previous[url]?.size ?? fetched.body.count),
            fetchedAt: fetchedAt, checkedAt: time)
        try store.recordCrawled(entry, scope: scope, body: storeBody && fetched.downloaded ? fetched.body : nil)
    }

    /// Writes a page body under `pagesFolder`, named by the URL's hash.
    func save(_ body: [UInt8], url: String, media: String) throws -> String {
        let ext: String
        switch media {
        case "text/html", "application/xhtml+xml": ext = "html"
        case "text/markdown", "text/x-markdown": ext = "md"
        case "application/pdf": ext = "pdf"
        default: ext = "txt"
        }
        let path = "\(pagesFolder)/\(SHA256.hexDigest(of: url).prefix(24)).\(ext)"
        guard FileManager.default.createFile(atPath: path, contents: Data(body)) else {
            throw CrawlError("cannot write \(path)")
        }
        return path
    }

    /// The `charset` parameter of a `Content-Type`, if any.
    static func charset(_ contentType: String?) -> String? {
        guard let contentType else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let parts = parameter.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].filter({ $0 != " " }).lowercased() == "charset" else { continue }
            let value = parts[1].filter { $0 != " " && $0 != "\"" && $0 != "'" }
            return value.isEmpty ? nil : value
        }
        return nil
    }

    // MARK: HTTP with pacing and retries

    enum GetResult: Sendable {
        case success(HTTPFetcher.Response)
        case failure(String)
    }

    /// GET with the host's pacing; retries 429, 5xx and transient network errors with
    /// exponential backoff (`Retry-After` honoured, up to `maxBackoff`).
    func get(_ url: URL, headers: [String: String], interval: Duration) async throws -> GetResult {
        let origin = CrawlURL.origin(url)
        var attempt = 0
        while true {
            try await pacer.wait(host: origin, interval: interval)
            var reason: String
            var retryAfter: Duration?
            do {
                let response = try await http.get(url, headers: headers)
                guard response.status == 429 || (500...599).contains(response.status) else { return .success(response) }
                reason = "HTTP \(response.status)"
                retryAfter = response.header("retry-after").flatMap { Self.retryAfter($0, now: now()) }
            } catch let failure as HTTPFetcher.Failure {
                guard failure.transient else { return .failure(failure.message) }
                reason = failure.message
            }
            guard attempt < options.retries else {
                return .failure(attempt > 0 ? "\(reason) (after \(attempt + 1) attempts)" : reason)
            }
            let backoff = options.retryDelay * (1 << min(attempt, 20))
            try await Task.sleep(for: min(retryAfter ?? backoff, options.maxBackoff))
            attempt += 1
        }
    }

    /// A `Retry-After` value: delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
    static func retryAfter(_ value: String, now: Date) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed), seconds >= 0 { return .seconds(seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        let seconds = max(0, date.timeIntervalSince(now))
        return .milliseconds(Int64(seconds * 1000))
    }

    // MARK: robots.txt

    /// Fetches and parses `origin`'s robots.txt (conditionally when seen before): a 2xx is
    /// parsed, a 4xx allows everything, a 5xx or no response disallows everything
    /// (RFC 9309 §2.3.1); up to five redirects are followed.
    func loadRobots(origin: String) async -> RobotsRules {
        guard var url = URL(string: origin + "/robots.txt") else { return .allowAll }
        for _ in 0...options.maxRedirects {
            let key = url.absoluteString
            let before = previous[key]
            let cached = before.flatMap { try? store?.body(hash: $0.hash) }
            var headers = Self.baseHeaders
            headers["Accept"] = "text/plain"
            if let before, cached != nil {
                if let etag = before.etag { headers["If-None-Match"] = etag }
                if let lastModified = before.lastModified { headers["If-Modified-Since"] = lastModified }
            }
            guard case .success(let response) = try? await get(url, headers: headers, interval: options.interval(crawlDelay: nil))
            else { return .disallowAll }
            switch response.status {
            case 200...299:
                let fetched = Fetched(
                    status: response.status, contentType: response.header("content-type"),
                    etag: response.header("etag"), lastModified: response.header("last-modified"), body: response.body,
                    hash: SHA256.hexDigest(response.body), downloaded: true, changed: before?.hash != nil)
                try? record(key, .robots, fetched, storeBody: true)
                return RobotsRules(parsing: String(decoding: response.body, as: UTF8.self))
            case 304:
                guard let before, let cached else { return .allowAll }
                let fetched = Fetched(
                    status: 304, contentType: before.contentType, etag: response.header("etag") ?? before.etag,
                    lastModified: response.header("last-modified") ?? before.lastModified, body: cached,
                    hash: before.hash, downloaded: false, changed: false)
                try? record(key, .robots, fetched, storeBody: false)
                return RobotsRules(parsing: String(decoding: cached, as: UTF8.self))
            case 301, 302, 303, 307, 308:
                guard let location = response.header("location"), let next = CrawlURL.resolve(location, against: url)
                else { return .allowAll }
                url = next
            case 400...499:
                return .allowAll
            default:
                return .disallowAll
            }
        }
        return .allowAll
    }

    // MARK: Local files

    /// A local file: "not modified" when its modification time and size equal the previous
    /// crawl's (then it is copied without hashing), else read and hashed.
    func visitFile(_ visit: Visit) throws -> Outcome {
        let path = visit.url.path
        let key = visit.url.absoluteString
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue,
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        else { return .gone(status: 404) }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        let modified = (attributes[.modificationDate] as? Date).map(Timestamp.format)
        let format = DocumentFormat(pathExtension: visit.url.pathExtension)
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failed(reason: "cannot read \(path)")
        }
        let body = [UInt8](data)
        let before = previous[key]
        let unchanged = before != nil && before?.lastModified == modified && before?.size == size
        let hash = unchanged ? before!.hash : SHA256.hexDigest(body)
        let fetched = Fetched(
            status: unchanged ? 304 : 200, contentType: format?.rawValue, etag: nil, lastModified: modified,
            body: body, hash: hash, downloaded: !unchanged, changed: before?.hash != hash)
        guard let format, format != .jsonl else {
            try record(key, .skipped, fetched, storeBody: false)
            return .skipped(fetched)
        }
        try record(key, .page, fetched, storeBody: false)
        let saved = try save(body, url: key, media: format.rawValue)
        var links: [URL] = []
        if format == .html {
            let found = HTMLLinks.extract(body)
            let base = found.base.flatMap { CrawlURL.resolve($0, against: visit.url) } ?? visit.url
            links = found.hrefs.compactMap { CrawlURL.resolve($0, against: base) }.filter(\.isFileURL)
        }
        return .page(fetched, path: saved, links: links)
    }
}
