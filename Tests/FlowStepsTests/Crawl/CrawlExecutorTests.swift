import FlowCore
import FlowEngine
import Foundation
import Testing

@testable import FlowSteps

@Suite("Crawl step", .serialized)
struct CrawlExecutorTests {
    static var nginx: String? { IngestFixtures.executable("nginx") }

    func crawl(
        _ inputs: [String: ExpressionValue], workspace: String, database: String?, workingDirectory: String? = nil,
        log: StepLog = .discarding
    ) async throws -> (outputs: [String: String], pages: [PageRecord], removed: [String]) {
        let outputs = try await CrawlExecutor().execute(
            IngestFixtures.invocation(
                step: "crawl", inputs: inputs, workspace: workspace, workingDirectory: workingDirectory,
                databasePath: database, log: log))
        let pages = try JSONLines.read(PageRecord.self, from: try #require(outputs["pages"]))
        let removed = try JSONLines.read(RemovedPage.self, from: try #require(outputs["removed_pages"])).map(\.url)
        return (outputs, pages, removed)
    }

    /// The Python documentation served by nginx from a temporary copy, seeded by a sitemap
    /// the test writes from the files on disk, with a robots.txt whose rules the expected
    /// page set applies by hand.
    @Test(
        "crawls a real site; a second crawl only revalidates; one edit changes one page and re-embeds only its chunks",
        .enabled(
            if: (nginx != nil && IngestFixtures.pythonDocsInstalled) || IngestFixtures.isCI,
            "needs nginx and python3-doc (apt-get install nginx-light python3-doc)"),
        .timeLimit(.minutes(10)))
    func pythonDocsOverHTTP() async throws {
        let nginx = try #require(Self.nginx, "nginx is not installed: apt-get install nginx-light")
        try #require(IngestFixtures.pythonDocsInstalled, "python3-doc is not installed: apt-get install python3-doc")
        let root = try IngestFixtures.temporaryFolder("crawl-docs")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let site = root + "/site"
        try FileManager.default.copyItem(atPath: ParseExecutor.resolved(IngestFixtures.pythonDocs), toPath: site)
        let htmlFiles = ParseExecutor.walk(site).filter { $0.hasSuffix(".html") }
            .map { String($0.dropFirst(site.count + 1)) }
        #expect(htmlFiles.count == 530)
        try """
        User-agent: *
        Disallow: /

        User-agent: flow
        Disallow: /genindex
        Allow: /genindex-all.html
        Disallow: /_downloads/
        """.write(toFile: site + "/robots.txt", atomically: true, encoding: .utf8)

        let server = try LoopbackServer.nginx(root: site, executable: nginx)
        defer { server.stop() }
        let sitemap =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
            + htmlFiles.map { "  <url><loc>\(server.base)/\($0)</loc></url>\n" }.joined() + "</urlset>\n"
        try sitemap.write(toFile: site + "/sitemap.xml", atomically: true, encoding: .utf8)
        // The robots.txt rules above, applied by hand: /genindex* is disallowed except
        // /genindex-all.html (the longer allow rule).
        let expected = Set(
            htmlFiles.filter { !$0.hasPrefix("genindex") || $0 == "genindex-all.html" }
                .map { "\(server.base)/\($0)" })
        #expect(expected.count == 530 - 29)  // genindex.html, genindex-A…Z, -Symbols, -_ go; -all stays

        let database = root + "/flow.sqlite"
        let inputs: [String: ExpressionValue] = [
            "seeds": .array([.string(server.base + "/sitemap.xml")]), "rate": .number(0), "concurrency": .number(6),
            "retries": .number(1), "retry_delay": .string("100ms"),
        ]

        // First crawl: everything is new.
        let first = try await crawl(inputs, workspace: root + "/ws1", database: database)
        #expect(Set(first.pages.map(\.url)) == expected)
        #expect(first.pages.allSatisfy { $0.status == 200 && $0.changed && $0.contentType == "text/html" })
        #expect(first.outputs["fetched"] == String(expected.count))
        #expect(first.outputs["changed"] == String(expected.count))
        #expect(first.outputs["not_modified"] == "0")
        #expect(first.outputs["removed"] == "0")
        for page in first.pages.prefix(50) {
            let relative = String(page.url.dropFirst(server.base.count + 1))
            #expect(FileManager.default.contents(atPath: page.path) == FileManager.default.contents(atPath: site + "/" + relative))
        }
        // The first crawl through parse, chunk and embed, to compare the re-embedding with below.
        let firstChunks = try await chunkAndEmbed(workspace: root + "/ws1", cache: root + "/embeddings.sqlite", parse: true)
        #expect(firstChunks.outputs["cached"] == "0")

        let firstLog = server.logLines()
        #expect(!firstLog.contains { $0.contains(" /genindex-A.html ") }, "robots.txt disallows /genindex-A.html")
        let firstMissing = Set(firstLog.filter { $0.split(separator: " ")[2] == "404" }.map { String($0.split(separator: " ")[1]) })

        // Second crawl, nothing changed: only conditional requests, all answered 304.
        let second = try await crawl(inputs, workspace: root + "/ws2", database: database)
        let secondLog = Array(server.logLines().dropFirst(firstLog.count))
        #expect(Set(second.pages.map(\.url)) == expected)
        #expect(second.outputs["fetched"] == "0")
        #expect(second.outputs["not_modified"] == String(expected.count))
        #expect(second.outputs["changed"] == "0")
        #expect(second.outputs["removed"] == "0")
        #expect(second.pages.allSatisfy { $0.status == 304 && !$0.changed })
        #expect(
            Dictionary(uniqueKeysWithValues: second.pages.map { ($0.url, $0.hash) })
                == Dictionary(uniqueKeysWithValues: first.pages.map { ($0.url, $0.hash) }))
        #expect(!secondLog.isEmpty)
        for line in secondLog {
            // "GET <uri> <status> <bytes> "<If-None-Match>" "<If-Modified-Since>""
            let fields = line.split(separator: " ", maxSplits: 4).map(String.init)
            if fields[2] == "404" {
                // A broken link of the site (no validators to send) is asked again.
                #expect(firstMissing.contains(fields[1]), "\(line)")
                continue
            }
            #expect(fields[2] == "304" && fields[3] == "0", "\(line)")
            #expect(fields.count == 5 && fields[4] != "\"-\" \"-\"", "unconditional request: \(line)")
        }
        #expect(FileManager.default.contents(atPath: second.pages[0].path) == FileManager.default.contents(atPath: first.pages[0].path))

        // Third crawl after editing one page and deleting another.
        let edited = site + "/library/json.html"
        var html = try String(contentsOfFile: edited, encoding: .utf8)
        html = html.replacingOccurrences(of: "<h2>Basic Usage", with: "<p>Edited by the crawl test.</p><h2>Basic Usage")
        try html.write(toFile: edited, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: site + "/library/mailbox.html")
        let third = try await crawl(inputs, workspace: root + "/ws3", database: database)
        #expect(third.outputs["fetched"] == "1")
        #expect(third.outputs["changed"] == "1")
        #expect(third.pages.filter(\.changed).map(\.url) == [server.base + "/library/json.html"])
        #expect(third.removed == [server.base + "/library/mailbox.html"])
        #expect(third.outputs["not_modified"] == String(expected.count - 2))

        // What parse makes of the third crawl: clean text, the change and the removal carried on.
        let parsed = try await ParseExecutor().execute(
            IngestFixtures.invocation(
                step: "parse", inputs: ["pages": .string(root + "/ws3/crawl/pages.jsonl")], workspace: root + "/ws3"))
        #expect(parsed["count"] == String(expected.count - 1))
        #expect(parsed["changed"] == "1")
        #expect(parsed["removed"] == "1")
        let documents = try JSONLines.read(DocumentRecord.self, from: root + "/ws3/parse/documents.jsonl")
        let json = try #require(documents.first { $0.url == server.base + "/library/json.html" })
        #expect(json.changed && json.text.contains("Edited by the crawl test.\n\n## Basic Usage"))
        #expect(json.id == ParseExecutor.documentID(server.base + "/library/json.html"))
        for document in documents {
            // ("Navigation" alone is real content in some pages, e.g. IDLE's.)
            for boilerplate in ["previous |", "Show Source", "Quick search", "© Copyright", "Previous topic"] {
                #expect(!document.text.contains(boilerplate), "\(document.url): \(boilerplate)")
            }
        }

        // Chunk and embed the third crawl with the same cache: only the edited page's chunks whose
        // text is new are embedded. The expected set is worked out here from the two chunk files.
        let thirdChunks = try await chunkAndEmbed(workspace: root + "/ws3", cache: root + "/embeddings.sqlite", parse: false)
        let known = Set(firstChunks.chunks.map(\.text))
        let new = Set(thirdChunks.chunks.filter { !known.contains($0.text) }.map(\.text))
        let newOwners = Set(thirdChunks.chunks.filter { new.contains($0.text) }.map(\.url))
        #expect(!new.isEmpty)
        #expect(newOwners == [server.base + "/library/json.html"])
        #expect(thirdChunks.outputs["embedded"] == String(new.count))
        #expect(thirdChunks.outputs["cached"] == String(thirdChunks.chunks.filter { known.contains($0.text) }.count))
        #expect(thirdChunks.outputs["count"] == String(thirdChunks.chunks.count))
    }

    /// Runs parse (optionally), chunk and embed (`hash`, 64 dimensions) in `workspace`, whose
    /// `crawl/pages.jsonl` a crawl wrote, with the embedding cache at `cache`.
    func chunkAndEmbed(
        workspace: String, cache: String, parse: Bool
    ) async throws -> (outputs: [String: String], chunks: [ChunkRecord]) {
        if parse {
            _ = try await ParseExecutor().execute(
                IngestFixtures.invocation(
                    step: "parse", inputs: ["pages": .string(workspace + "/crawl/pages.jsonl")], workspace: workspace))
        }
        _ = try await ChunkExecutor().execute(
            IngestFixtures.invocation(
                step: "chunk",
                inputs: [
                    "strategy": .string("recursive"), "size": .number(1000), "overlap": .number(100),
                    "unit": .string("characters"),
                ],
                workspace: workspace))
        let outputs = try await EmbedExecutor().execute(
            IngestFixtures.invocation(
                step: "embed",
                inputs: ["provider": .string("hash"), "dimension": .number(64), "cache": .string(cache)],
                workspace: workspace))
        return (outputs, try JSONLines.read(ChunkRecord.self, from: workspace + "/chunk/chunks.jsonl"))
    }

    @Test(
        "retries 503 after Retry-After and 429 with backoff, follows same-site redirects only",
        .timeLimit(.minutes(2)))
    func misbehavingServer() async throws {
        let server = try LoopbackServer.python(script: IngestFixtures.fixture("flaky_server.py"))
        defer { server.stop() }
        let root = try IngestFixtures.temporaryFolder("crawl-flaky")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let lines = IngestFixtures.LogLines()
        let result = try await crawl(
            [
                "seeds": .array([.string(server.base + "/index.html")]), "rate": .number(0), "retries": .number(2),
                "retry_delay": .string("200ms"), "timeout": .string("5s"),
            ],
            workspace: root, database: root + "/flow.sqlite", log: lines.log)
        #expect(
            Set(result.pages.map(\.url))
                == Set(
                    ["/index.html", "/flaky.html", "/limited.html", "/target.html"]
                        .map { server.base + $0 }))
        #expect(result.outputs["failed"] == "1")  // broken.html: 500 three times
        #expect(result.outputs["skipped"] == "1")  // image.png
        #expect(lines.all.contains { $0.contains("/broken.html: HTTP 500 (after 3 attempts)") })
        #expect(lines.all.contains { $0.contains("/away: HTTP 302 to another site") })

        // "<monotonic seconds> <path> <status>" per request.
        let requests = server.logLines("requests.log").map { $0.split(separator: " ") }
        func times(_ path: String) -> [Double] { requests.filter { $0[1] == path }.map { Double($0[0])! } }
        let flaky = times("/flaky.html")
        #expect(flaky.count == 2)
        #expect(flaky.count == 2 && flaky[1] - flaky[0] >= 0.95, "Retry-After: 1 honoured")
        let limited = times("/limited.html")
        #expect(limited.count == 2 && limited[1] - limited[0] >= 0.19, "backoff of retry_delay")
        #expect(times("/broken.html").count == 3)
        #expect(times("/target.html").count == 1)
        #expect(!requests.contains { $0[1].contains("elsewhere") })
    }

    @Test("crawls a local folder; unchanged files are not read again; edits and deletions show")
    func localFolder() async throws {
        let root = try IngestFixtures.temporaryFolder("crawl-local")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let docs = root + "/docs"
        try FileManager.default.createDirectory(atPath: docs + "/guide", withIntermediateDirectories: true)
        try "<html><body><p>Home</p></body></html>".write(toFile: docs + "/index.html", atomically: true, encoding: .utf8)
        try "# Install\n".write(toFile: docs + "/guide/install.md", atomically: true, encoding: .utf8)
        try "notes\n".write(toFile: docs + "/guide/notes.txt", atomically: true, encoding: .utf8)
        try "skip me\n".write(toFile: docs + "/guide/draft.txt", atomically: true, encoding: .utf8)
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: docs + "/logo.png"))
        let database = root + "/flow.sqlite"
        let inputs: [String: ExpressionValue] = ["seeds": .array([.string("docs")]), "deny": .array([.string("**/draft.*")])]

        let first = try await crawl(inputs, workspace: root + "/ws1", database: database, workingDirectory: root)
        let names = { (pages: [PageRecord]) in pages.map { String($0.url.split(separator: "/").last!) } }
        // Sorted by URL: …/docs/guide/install.md, …/docs/guide/notes.txt, …/docs/index.html.
        #expect(names(first.pages) == ["install.md", "notes.txt", "index.html"])
        #expect(first.outputs["changed"] == "3")
        #expect(first.pages.map(\.contentType) == ["text/markdown", "text/plain", "text/html"])

        let second = try await crawl(inputs, workspace: root + "/ws2", database: database, workingDirectory: root)
        #expect(second.outputs["not_modified"] == "3")
        #expect(second.outputs["changed"] == "0")

        try "# Install\n\nNew step.\n".write(toFile: docs + "/guide/install.md", atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: docs + "/guide/notes.txt")
        let third = try await crawl(inputs, workspace: root + "/ws3", database: database, workingDirectory: root)
        #expect(names(third.pages.filter(\.changed)) == ["install.md"])
        #expect(third.removed.map { String($0.split(separator: "/").last!) } == ["notes.txt"])
        let install = try #require(third.pages.first { $0.url.hasSuffix("/install.md") })
        #expect(FileManager.default.contents(atPath: install.path) == Data("# Install\n\nNew step.\n".utf8))
    }

    @Test("without a run database every page counts as changed")
    func noDatabase() async throws {
        let root = try IngestFixtures.temporaryFolder("crawl-nodb")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "text\n".write(toFile: root + "/a.txt", atomically: true, encoding: .utf8)
        let inputs: [String: ExpressionValue] = ["seeds": .array([.string("file://" + root + "/a.txt")])]
        for _ in 0..<2 {
            let result = try await crawl(inputs, workspace: root + "/ws", database: nil)
            #expect(result.outputs["changed"] == "1" && result.outputs["count"] == "1")
        }
    }

    @Test(
        "rejects bad seeds and inputs",
        arguments: [
            (["seeds": ExpressionValue.array([.string("ftp://example.com/")])], "unsupported scheme"),
            (["seeds": ExpressionValue.array([.string("no/such/folder")])], "does not exist"),
            (["seeds": ExpressionValue.array([])], "at least one seed"),
            (["seeds": ExpressionValue.array([.string("http://127.0.0.1:9/")]), "max_pages": .number(0)], "'max_pages'"),
            (["seeds": ExpressionValue.array([.string("http://127.0.0.1:9/")]), "timeout": .string("soon")], "'timeout'"),
        ])
    func badInputs(_ inputs: [String: ExpressionValue], _ message: String) async throws {
        let root = try IngestFixtures.temporaryFolder("crawl-bad")
        defer { try? FileManager.default.removeItem(atPath: root) }
        await #expect {
            _ = try await CrawlExecutor().execute(IngestFixtures.invocation(step: "crawl", inputs: inputs, workspace: root))
        } throws: { error in
            (error as? StepFailure)?.isPermanent == true && "\(error)".contains(message)
        }
    }
}
