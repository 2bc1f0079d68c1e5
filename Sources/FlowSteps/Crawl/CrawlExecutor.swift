public import FlowCore
public import FlowEngine
import FlowStore
import Foundation

/// The `crawl` kind: seeds (web pages, sitemaps, local files and folders) → pages saved in
/// the run's workspace and listed in `pages.jsonl`, with conditional requests against the
/// previous crawl's state so an unchanged site downloads nothing. Reference:
/// docs/steps/crawl.md.
public struct CrawlExecutor: StepExecutor {
    public init() {}

    public var spec: StepKindSpec {
        StepKindSpec(
            name: "crawl",
            summary: "Fetch pages from web sites, sitemaps or local folders; only what changed since the last crawl is downloaded.",
            inputs: [
                .init(
                    "seeds", .list(.string), required: true,
                    "Where to start: http(s) URLs, sitemap URLs (ending in .xml), file:// URLs, or local files and folders (relative to the working directory)."
                ),
                .init(
                    "max_depth", .int, default: .number(10),
                    "Links followed from a seed (0: only the seeds and their sitemap entries)."),
                .init("max_pages", .int, default: .number(10_000), "Most pages requested in one crawl."),
                .init(
                    "allow", .list(.string), default: .array([]),
                    "Glob patterns over URL paths (`*` within a segment, `**` across); when given, only matching pages are followed."),
                .init("deny", .list(.string), default: .array([]), "Glob patterns over URL paths never followed."),
                .init("robots", .bool, default: .bool(true), "Obey robots.txt (user agent `flow`)."),
                .init("rate", .number, default: .number(4), "Requests per second per host (0: no limit)."),
                .init("concurrency", .int, default: .number(4), "Requests in flight at once."),
                .init("timeout", .duration, default: .string("30s"), "Longest time for one request, body included."),
                .init("retries", .int, default: .number(3), "Further attempts after HTTP 429, 5xx or a network error."),
                .init(
                    "retry_delay", .duration, default: .string("1s"),
                    "First wait before a retry; doubles each time unless the server sends Retry-After."),
            ],
            outputs: [
                .init(
                    "pages",
                    "Path of pages.jsonl: one line per page (url, path, status, content_type, changed, etag, last_modified, hash, depth)."),
                .init("count", "Pages listed in pages.jsonl."),
                .init("fetched", "Pages downloaded in full."),
                .init("not_modified", "Pages the server answered 304 Not Modified for (or unchanged local files)."),
                .init("changed", "Pages that are new or whose content changed since the previous crawl."),
                .init("removed", "Pages of the previous crawl not found this time."),
                .init("removed_pages", "Path of removed.jsonl: one {\"url\"} line per removed page."),
                .init("failed", "URLs that could not be fetched (their previous copy, if any, is handed on)."),
                .init("skipped", "Responses of a type parse does not read (images, archives, …)."),
            ])
    }

    public func execute(_ invocation: StepInvocation) async throws -> [String: String] {
        let inputs = IngestInputs(kind: "crawl", invocation.inputs)
        let rawSeeds = try inputs.strings("seeds")
        guard !rawSeeds.isEmpty else { throw StepFailure("crawl: input 'seeds' needs at least one seed", permanent: true) }
        var seeds: [Crawler.Seed] = []
        for text in rawSeeds {
            seeds.append(try Self.seed(text, workingDirectory: invocation.workingDirectory))
        }
        var options = CrawlOptions()
        options.maxDepth = try inputs.int("max_depth", default: 10, in: 0...1_000)
        options.maxPages = try inputs.int("max_pages", default: 10_000, in: 1...10_000_000)
        options.allow = try inputs.strings("allow").map(GlobPattern.init)
        options.deny = try inputs.strings("deny").map(GlobPattern.init)
        options.obeyRobots = try inputs.bool("robots", default: true)
        options.rate = try inputs.number("rate", default: 4, minimum: 0)
        options.concurrency = try inputs.int("concurrency", default: 4, in: 1...256)
        options.timeout = try inputs.duration("timeout", default: .seconds(30))
        options.retries = try inputs.int("retries", default: 3, in: 0...20)
        options.retryDelay = try inputs.duration("retry_delay", default: .seconds(1))
        guard options.timeout > .zero else { throw StepFailure("crawl: input 'timeout' must be more than 0s", permanent: true) }

        let folder = "\(invocation.workspace)/\(invocation.stepID.rawValue)"
        let pagesFolder = folder + "/pages"
        do {
            try? FileManager.default.removeItem(atPath: pagesFolder)
            try FileManager.default.createDirectory(atPath: pagesFolder, withIntermediateDirectories: true)
        } catch {
            throw StepFailure("crawl: cannot create \(pagesFolder): \(error.localizedDescription)")
        }

        let scope = "\(invocation.workflow.rawValue)/\(invocation.stepID.rawValue)"
        var store: CrawlStateStore?
        var previous: [String: CrawlStateEntry] = [:]
        if let path = invocation.databasePath {
            do {
                let opened = try CrawlStateStore(path: path)
                previous = try opened.crawlState(scope: scope)
                store = opened
            } catch {
                throw StepFailure("crawl: \(error)")
            }
        } else {
            invocation.log.write("crawl: no run database; every page counts as changed")
        }

        let http = HTTPFetcher(timeout: options.timeout)
        defer { http.close() }
        let fetcher = PageFetcher(
            options: options, scope: scope, previous: previous, store: store, http: http,
            pacer: HostPacer(clock: ContinuousClock()), robots: RobotsCache(), pagesFolder: pagesFolder,
            now: { Date() })
        let crawler = Crawler(seeds: seeds, options: options, fetcher: fetcher, log: invocation.log)
        let result: Crawler.Result
        do {
            result = try await crawler.run()
        } catch let error as StoreError {
            throw StepFailure("crawl: \(error)")
        } catch let error as CrawlError {
            throw StepFailure("crawl: \(error)")
        }
        if result.pages.isEmpty, result.failed > 0, let first = result.failures.first {
            throw StepFailure("crawl: no page could be fetched; \(first.url): \(first.reason)")
        }

        let pagesPath = folder + "/pages.jsonl"
        let removedPath = folder + "/removed.jsonl"
        do {
            try JSONLines.write(result.pages, to: pagesPath)
            try JSONLines.write(result.removed.map { RemovedPage(url: $0) }, to: removedPath)
        } catch {
            throw StepFailure("crawl: cannot write \(pagesPath): \(error.localizedDescription)")
        }
        invocation.log.write(
            "crawl: \(result.pages.count) pages (\(result.fetched) downloaded, \(result.notModified) not modified, "
                + "\(result.changed) changed), \(result.removed.count) removed, \(result.failed) failed, "
                + "\(result.skipped) skipped")
        return [
            "pages": pagesPath,
            "count": String(result.pages.count),
            "fetched": String(result.fetched),
            "not_modified": String(result.notModified),
            "changed": String(result.changed),
            "removed": String(result.removed.count),
            "removed_pages": removedPath,
            "failed": String(result.failed),
            "skipped": String(result.skipped),
        ]
    }

    /// A seed as written in `seeds`.
    /// - Throws: a permanent `StepFailure` for an unsupported scheme or a missing local path.
    static func seed(_ text: String, workingDirectory: String) throws(StepFailure) -> Crawler.Seed {
        let lower = text.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            guard let url = URL(string: text).flatMap(CrawlURL.normalize), url.host != nil else {
                throw StepFailure("crawl: seed '\(text)' is not a valid URL", permanent: true)
            }
            return url.path.lowercased().hasSuffix(".xml") ? .sitemap(url) : .page(url)
        }
        let path: String
        if lower.hasPrefix("file://") {
            guard let url = URL(string: text), url.isFileURL else {
                throw StepFailure("crawl: seed '\(text)' is not a valid file URL", permanent: true)
            }
            path = url.path
        } else if text.contains("://") {
            throw StepFailure("crawl: seed '\(text)' has an unsupported scheme (use http, https, file or a path)", permanent: true)
        } else {
            path = text.hasPrefix("/") ? text : "\(workingDirectory)/\(text)"
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw StepFailure("crawl: seed '\(text)' does not exist (\(path))", permanent: true)
        }
        let url = URL(fileURLWithPath: path, isDirectory: isFolder.boolValue).standardized
        guard let normal = CrawlURL.normalize(url) else {
            throw StepFailure("crawl: seed '\(text)' is not a usable path", permanent: true)
        }
        return isFolder.boolValue ? .folder(normal) : .page(normal)
    }
}
