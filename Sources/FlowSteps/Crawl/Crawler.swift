import FlowCore
import FlowEngine
import FlowStore
import Foundation

/// One crawl: seeds → pages, breadth-first within `maxDepth` and `maxPages`, same-site,
/// `concurrency` fetches at a time. The frontier, the visited set and the results live
/// here, in one task; fetches run as child tasks (`PageFetcher`).
struct Crawler {
    /// A seed after checking: where to start and which "site" it opens.
    enum Seed: Sendable, Equatable {
        case page(URL)
        case sitemap(URL)
        /// A local folder: every readable file below it is a page.
        case folder(URL)
    }

    struct Result: Sendable {
        var pages: [PageRecord] = []
        var removed: [String] = []
        var fetched = 0
        var notModified = 0
        var changed = 0
        var failed = 0
        var skipped = 0
        var failures: [(url: String, reason: String)] = []
    }

    let seeds: [Seed]
    let options: CrawlOptions
    let fetcher: PageFetcher
    let log: StepLog

    /// Hosts (http/https) and folder paths (file) that count as "the site".
    var hosts: Set<String> {
        Set(
            seeds.compactMap { seed -> String? in
                switch seed {
                case .page(let u), .sitemap(let u): u.isFileURL ? nil : u.host?.lowercased()
                case .folder: nil
                }
            })
    }

    var folders: [String] {
        seeds.compactMap { seed -> String? in
            switch seed {
            case .folder(let u): u.path.hasSuffix("/") ? u.path : u.path + "/"
            case .page(let u) where u.isFileURL: u.deletingLastPathComponent().path + "/"
            default: nil
            }
        }
    }

    func isSameSite(_ url: URL) -> Bool {
        if url.isFileURL {
            let path = url.path
            return folders.contains { path.hasPrefix($0) }
        }
        return url.host.map { hosts.contains($0.lowercased()) } ?? false
    }

    /// Runs the crawl.
    /// - Throws: `CancellationError`; `StepFailure` when the crawl state cannot be written.
    func run() async throws -> Result {
        var result = Result()
        var queue: [PageFetcher.Visit] = []
        var head = 0
        var seen: Set<String> = []
        var admittedPages = 0
        var limitReported = false
        /// URLs that answered (so are not "removed"), and failures that keep their old copy.
        var reached: Set<String> = []
        var failedKeys: Set<String> = []
        let sites = (hosts: hosts, folders: folders)

        func admit(_ url: URL, depth: Int, role: PageFetcher.Role, redirects: Int, isSeed: Bool) {
            let key = url.absoluteString
            guard !seen.contains(key) else { return }
            if !isSeed {
                let sameSite =
                    url.isFileURL
                    ? sites.folders.contains { url.path.hasPrefix($0) }
                    : url.host.map { sites.hosts.contains($0.lowercased()) } ?? false
                guard sameSite else { return }
                guard role == .sitemap || options.permits(CrawlURL.pathAndQuery(url)) else { return }
            }
            if role == .page {
                guard admittedPages < options.maxPages else {
                    if !limitReported {
                        log.write("crawl: max_pages (\(options.maxPages)) reached; further pages are not fetched")
                        limitReported = true
                    }
                    return
                }
                admittedPages += 1
            }
            seen.insert(key)
            queue.append(PageFetcher.Visit(url: url, depth: depth, role: role, redirects: redirects))
        }

        for seed in seeds {
            switch seed {
            case .page(let url): admit(url, depth: 0, role: .page, redirects: 0, isSeed: true)
            case .sitemap(let url): admit(url, depth: 0, role: .sitemap, redirects: 0, isSeed: true)
            case .folder(let url):
                for file in Self.files(in: url) where options.permits(file.path) {
                    admit(file, depth: 0, role: .page, redirects: 0, isSeed: false)
                }
            }
        }

        try await withThrowingTaskGroup(of: (PageFetcher.Visit, PageFetcher.Outcome).self) { group in
            var inFlight = 0
            while true {
                while inFlight < options.concurrency, head < queue.count {
                    let visit = queue[head]
                    head += 1
                    inFlight += 1
                    group.addTask { [fetcher] in (visit, try await fetcher.visit(visit)) }
                }
                guard inFlight > 0, let (visit, outcome) = try await group.next() else { break }
                inFlight -= 1
                let key = visit.url.absoluteString
                switch outcome {
                case .page(let fetched, let path, let links):
                    reached.insert(key)
                    count(fetched, into: &result)
                    result.pages.append(
                        PageRecord(
                            url: key, path: path, status: fetched.status, contentType: fetched.contentType,
                            changed: fetched.changed, etag: fetched.etag, lastModified: fetched.lastModified,
                            hash: fetched.hash, depth: visit.depth))
                    if visit.depth < options.maxDepth {
                        for link in links { admit(link, depth: visit.depth + 1, role: .page, redirects: 0, isSeed: false) }
                    }
                case .sitemap(_, let pages, let sitemaps):
                    reached.insert(key)
                    for page in pages { admit(page, depth: visit.depth, role: .page, redirects: 0, isSeed: false) }
                    for sitemap in sitemaps {
                        admit(sitemap, depth: visit.depth, role: .sitemap, redirects: 0, isSeed: false)
                    }
                case .skipped:
                    reached.insert(key)
                    result.skipped += 1
                case .redirect(let target, let status):
                    // Not `reached`: a URL that now redirects no longer is a page of its own.
                    if visit.redirects >= options.maxRedirects {
                        fail(key, "more than \(options.maxRedirects) redirects", into: &result)
                    } else if isSameSite(target) {
                        // The target may be seen already; a redirect does not use up depth.
                        if visit.role == .page { admittedPages -= 1 }
                        admit(target, depth: visit.depth, role: visit.role, redirects: visit.redirects + 1, isSeed: true)
                    } else {
                        log.write("crawl: \(key): HTTP \(status) to another site (\(target.absoluteString)), not followed")
                    }
                case .gone, .disallowed:
                    break
                case .failed(let reason):
                    failedKeys.insert(key)
                    fail(key, reason, into: &result)
                    // Hand on the previous copy of a page that could not be fetched this time.
                    if visit.role == .page, let stale = try staleCopy(key, depth: visit.depth, reason: reason) {
                        result.pages.append(stale)
                    }
                }
            }
        }

        // Pages of the previous crawl that this one did not reach (and did not fail on).
        var gone: [String] = []
        for (url, entry) in fetcher.previous where entry.role != .robots {
            if !reached.contains(url), !failedKeys.contains(url) {
                gone.append(url)
                if entry.role == .page { result.removed.append(url) }
            }
        }
        result.removed.sort()
        if let store = fetcher.store {
            do {
                try store.forgetCrawled(urls: gone, scope: fetcher.scope)
            } catch {
                throw StepFailure("crawl: \(error)")
            }
        }
        result.pages.sort { $0.url < $1.url }
        return result
    }

    private func count(_ fetched: PageFetcher.Fetched, into result: inout Result) {
        if fetched.downloaded { result.fetched += 1 } else { result.notModified += 1 }
        if fetched.changed { result.changed += 1 }
    }

    private func fail(_ url: String, _ reason: String, into result: inout Result) {
        result.failed += 1
        result.failures.append((url, reason))
        if result.failures.count <= 20 {
            log.write("crawl: \(url): \(reason)", stream: .stderr)
        } else if result.failures.count == 21 {
            log.write("crawl: more failures follow; only the count is reported", stream: .stderr)
        }
    }

    /// The previous crawl's copy of `url`, saved again, when there is one.
    private func staleCopy(_ url: String, depth: Int, reason: String) throws -> PageRecord? {
        guard let entry = fetcher.previous[url], entry.role == .page, let store = fetcher.store,
            let body = try? store.body(hash: entry.hash)
        else { return nil }
        let path = try fetcher.save(body, url: url, media: PageFetcher.mediaType(entry.contentType))
        return PageRecord(
            url: url, path: path, status: entry.status, contentType: entry.contentType, changed: false, etag: entry.etag,
            lastModified: entry.lastModified, hash: entry.hash, depth: depth, error: reason)
    }

    /// The files below a folder (recursively, hidden ones skipped) whose extension `parse`
    /// reads, sorted, as normalised `file` URLs.
    static func files(in folder: URL) -> [URL] {
        guard
            let walker = FileManager.default.enumerator(
                at: folder, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        else { return [] }
        var files: [URL] = []
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true,
                let format = DocumentFormat(pathExtension: url.pathExtension), format != .jsonl,
                let normal = CrawlURL.normalize(url)
            else { continue }
            files.append(normal)
        }
        return files.sorted { $0.absoluteString < $1.absoluteString }
    }
}
