public import FlowCore
public import FlowEngine
import Foundation

/// The `parse` kind: crawled pages or local files → `documents.jsonl` (id, url, title, text,
/// hash, changed, metadata) with libxml2's HTML parser for HTML, Markdown and plain text as
/// written, PDF through `pdftotext`. Reference: docs/steps/parse.md.
public struct ParseExecutor: StepExecutor {
    public init() {}

    public var spec: StepKindSpec {
        StepKindSpec(
            name: "parse",
            summary: "Turn crawled pages or local files (HTML, Markdown, text, PDF) into documents with clean text.",
            inputs: [
                .init(
                    "pages", .string,
                    "Path of a crawl's pages.jsonl; when neither this nor `path` is given, `<workspace>/crawl/pages.jsonl`."),
                .init(
                    "path", .string,
                    "A file, a folder (read recursively) or a glob such as `docs/**/*.md`, relative to the working directory."),
                .init(
                    "format", .oneOf(["auto", "smart"]), default: .string("auto"),
                    "`auto`: by media type or file extension; `smart`: `path` is a SMART-format collection (Cranfield's `cran.all.1400`), one document per `.I` record."
                ),
            ],
            outputs: [
                .init("documents", "Path of documents.jsonl: one line per document (id, url, title, text, hash, changed, metadata)."),
                .init("count", "Documents written."),
                .init("changed", "Documents whose source changed since the previous crawl (all of them without a crawl)."),
                .init("skipped", "Sources without text or of an unknown type."),
                .init("removed", "Documents of pages the crawl found removed."),
                .init("removed_documents", "Path of removed.jsonl: one {\"id\", \"url\"} line per removed document."),
            ])
    }

    /// One source to read.
    struct Source: Sendable {
        var file: String
        var url: String
        var id: String
        var format: DocumentFormat?
        var charset: String?
        var changed: Bool
        /// For JSONL sources: ids of documents without one are derived from this.
        var relativePath: String
    }

    public func execute(_ invocation: StepInvocation) async throws -> [String: String] {
        let inputs = IngestInputs(kind: "parse", invocation.inputs)
        let pagesInput = try inputs.string("pages")
        let pathInput = try inputs.string("path")
        if pagesInput != nil, pathInput != nil {
            throw StepFailure("parse: give either 'pages' or 'path', not both", permanent: true)
        }
        if try inputs.string("format") == "smart" {
            guard let pathInput else { throw StepFailure("parse: format 'smart' reads the file given as 'path'", permanent: true) }
            return try Self.parseSMART(path: Self.absolute(pathInput, invocation.workingDirectory), invocation: invocation)
        }
        var sources: [Source]
        var removed: [RemovedDocument] = []
        var skipped = 0
        if let pathInput {
            (sources, skipped) = try Self.sources(path: Self.absolute(pathInput, invocation.workingDirectory))
            if sources.isEmpty {
                throw StepFailure("parse: no readable files at '\(pathInput)' (HTML, Markdown, text, PDF or JSONL)", permanent: true)
            }
        } else {
            let pagesPath =
                pagesInput.map { Self.absolute($0, invocation.workingDirectory) }
                ?? "\(invocation.workspace)/crawl/pages.jsonl"
            guard FileManager.default.fileExists(atPath: pagesPath) else {
                throw StepFailure(
                    pagesInput == nil
                        ? "parse: no input: give 'pages' or 'path' (no crawl output at \(pagesPath))"
                        : "parse: pages file \(pagesPath) does not exist", permanent: true)
            }
            let pages: [PageRecord]
            do {
                pages = try JSONLines.read(PageRecord.self, from: pagesPath)
            } catch {
                throw StepFailure("parse: cannot read pages: \(error)", permanent: true)
            }
            sources = pages.map { page in
                Source(
                    file: page.path, url: page.url, id: Self.documentID(page.url),
                    format: page.contentType.flatMap(DocumentFormat.init(contentType:))
                        ?? DocumentFormat(pathExtension: (page.path as NSString).pathExtension),
                    charset: PageFetcher.charset(page.contentType), changed: page.changed, relativePath: page.url)
            }
            let removedPath = (pagesPath as NSString).deletingLastPathComponent + "/removed.jsonl"
            if FileManager.default.fileExists(atPath: removedPath) {
                do {
                    removed = try JSONLines.read(RemovedPage.self, from: removedPath)
                        .map { RemovedDocument(id: Self.documentID($0.url), url: $0.url) }
                } catch {
                    throw StepFailure("parse: cannot read removed pages: \(error)", permanent: true)
                }
            }
        }

        let searchPath = invocation.environment["PATH"] ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let parsed = try await Self.parseAll(sources, searchPath: searchPath)
        var documents: [DocumentRecord] = []
        for (source, result) in zip(sources, parsed) {
            if result.isEmpty {
                skipped += 1
                invocation.log.write("parse: \(source.url): no text, skipped")
            }
            documents.append(contentsOf: result)
        }

        let folder = "\(invocation.workspace)/\(invocation.stepID.rawValue)"
        let documentsPath = folder + "/documents.jsonl"
        let removedPath = folder + "/removed.jsonl"
        do {
            try JSONLines.write(documents, to: documentsPath)
            try JSONLines.write(removed, to: removedPath)
        } catch {
            throw StepFailure("parse: cannot write \(documentsPath): \(error.localizedDescription)")
        }
        let changed = documents.filter(\.changed).count
        invocation.log.write(
            "parse: \(documents.count) documents (\(changed) changed), \(skipped) skipped, \(removed.count) removed")
        return [
            "documents": documentsPath,
            "count": String(documents.count),
            "changed": String(changed),
            "skipped": String(skipped),
            "removed": String(removed.count),
            "removed_documents": removedPath,
        ]
    }

    /// The stable id of a document from its URL or relative path: the first 16 hex digits
    /// of its SHA-256.
    static func documentID(_ key: String) -> String {
        String(SHA256.hexDigest(of: key).prefix(16))
    }

    static func absolute(_ path: String, _ workingDirectory: String) -> String {
        path.hasPrefix("/") ? path : "\(workingDirectory)/\(path)"
    }

    /// The files `path` names (a file, a folder read recursively, or a glob), with ids from
    /// their paths relative to the folder or the glob's fixed prefix; and how many files of
    /// unknown types were passed over.
    static func sources(path: String) throws(StepFailure) -> ([Source], Int) {
        var root: String
        var files: [String] = []
        var isFolder: ObjCBool = false
        if GlobPattern(path).hasWildcards {
            // The longest folder prefix without wildcards; the rest matches relative paths.
            let literal = path.prefix { $0 != "*" && $0 != "?" }
            let cut = literal.lastIndex(of: "/") ?? literal.startIndex
            root = resolved(String(path[..<cut]))
            let glob = GlobPattern(String(path[cut...].drop { $0 == "/" }))
            files = walk(root).filter { glob.matches(relative($0, to: root)) }
        } else if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            if isFolder.boolValue {
                root = resolved(path)
                files = walk(root)
            } else {
                root = (path as NSString).deletingLastPathComponent
                files = [path]
            }
        } else {
            throw StepFailure("parse: '\(path)' does not exist", permanent: true)
        }
        var sources: [Source] = []
        var unknown = 0
        for file in files {
            guard let format = DocumentFormat(pathExtension: (file as NSString).pathExtension) else {
                unknown += 1
                continue
            }
            var relative = relative(file, to: root)
            if relative.isEmpty || relative == file { relative = (file as NSString).lastPathComponent }
            sources.append(
                Source(
                    file: file, url: URL(fileURLWithPath: file).absoluteString, id: documentID(relative), format: format,
                    charset: nil, changed: true, relativePath: relative))
        }
        return (sources, unknown)
    }

    /// `file`'s path below `root`, or `file` itself when it is not below it.
    static func relative(_ file: String, to root: String) -> String {
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return file.hasPrefix(prefix) ? String(file.dropFirst(prefix.count)) : file
    }

    /// `path` with symbolic links resolved and no trailing slash ("/" for the root).
    static func resolved(_ path: String) -> String {
        let full = URL(fileURLWithPath: path.isEmpty ? "/" : path).resolvingSymlinksInPath().path
        return full.count > 1 && full.hasSuffix("/") ? String(full.dropLast()) : full
    }

    /// Regular files below `folder` (symbolic links resolved), hidden ones skipped, sorted.
    static func walk(_ folder: String) -> [String] {
        guard
            let walker = FileManager.default.enumerator(
                at: URL(fileURLWithPath: folder), includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        else { return [] }
        var files: [String] = []
        for case let url as URL in walker
        where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
            files.append(url.standardizedFileURL.path)
        }
        return files.sorted()
    }

    /// Parses every source, as many at once as there are processors; results in input order.
    static func parseAll(_ sources: [Source], searchPath: String) async throws -> [[DocumentRecord]] {
        var results = [[DocumentRecord]](repeating: [], count: sources.count)
        let width = max(1, ProcessInfo.processInfo.activeProcessorCount)
        try await withThrowingTaskGroup(of: (Int, [DocumentRecord]).self) { group in
            var next = 0
            func start() {
                let index = next
                let source = sources[index]
                next += 1
                group.addTask { (index, try Self.parse(source, searchPath: searchPath)) }
            }
            while next < min(width, sources.count) { start() }
            while let (index, documents) = try await group.next() {
                results[index] = documents
                if next < sources.count { start() }
            }
        }
        return results
    }

    /// The documents of one source (none when it has no text).
    /// - Throws: a permanent `StepFailure` naming the file when it cannot be read.
    static func parse(_ source: Source, searchPath: String) throws(StepFailure) -> [DocumentRecord] {
        guard let format = source.format else { return [] }
        let extracted: ExtractedText
        switch format {
        case .pdf:
            do {
                extracted = try PDFTextExtractor.extract(path: source.file, searchPath: searchPath)
            } catch {
                throw StepFailure("parse: \(error.message)", permanent: true)
            }
        case .jsonl:
            return try jsonlDocuments(source)
        case .html, .markdown, .plain:
            guard let data = FileManager.default.contents(atPath: source.file) else {
                throw StepFailure("parse: cannot read \(source.file) (for \(source.url))", permanent: true)
            }
            switch format {
            case .html:
                extracted =
                    HTMLTextExtractor.extract([UInt8](data), encoding: source.charset)
                    ?? ExtractedText(title: "", text: "", headings: [])
            case .markdown:
                extracted = MarkdownExtractor.extract(String(decoding: data, as: UTF8.self))
            default:
                extracted = PlainTextExtractor.extract(String(decoding: data, as: UTF8.self))
            }
        }
        guard extracted.text.contains(where: { !$0.isWhitespace }) else { return [] }
        var title = extracted.title
        if title.isEmpty { title = (source.file as NSString).lastPathComponent }
        return [
            DocumentRecord(
                id: source.id, url: source.url, title: title, text: extracted.text,
                hash: SHA256.hexDigest(of: extracted.text), changed: source.changed,
                metadata: DocumentMetadata(
                    contentType: format.rawValue, sourcePath: source.file, headings: extracted.headings,
                    pages: extracted.pages))
        ]
    }

    /// Documents given one per line: `text` required; `id`, `title`, `url`, `content_type`
    /// optional (a missing id is derived from the file's relative path and line number).
    static func jsonlDocuments(_ source: Source) throws(StepFailure) -> [DocumentRecord] {
        let lines: [JSONLDocument]
        do {
            lines = try JSONLines.read(JSONLDocument.self, from: source.file)
        } catch {
            throw StepFailure("parse: \(error)", permanent: true)
        }
        return lines.enumerated().compactMap { index, line in
            guard line.text.contains(where: { !$0.isWhitespace }) else { return nil }
            let id = line.id ?? documentID("\(source.relativePath)#\(index + 1)")
            return DocumentRecord(
                id: id, url: line.url ?? "\(source.url)#\(index + 1)", title: line.title ?? "", text: line.text,
                hash: SHA256.hexDigest(of: line.text), changed: true,
                metadata: DocumentMetadata(contentType: line.contentType ?? "text/plain", sourcePath: source.file))
        }
    }
}
