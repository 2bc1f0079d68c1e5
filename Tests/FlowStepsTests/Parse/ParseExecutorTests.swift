import FlowCore
import FlowEngine
import Foundation
import Testing

@testable import FlowSteps

@Suite("Parse step")
struct ParseExecutorTests {
    @Test("finds Markdown headings outside code fences and reads front matter")
    func markdown() {
        let source =
            "---\ntitle: \"Guide\"\ntags: [a]\n---\n# Intro\r\nText\n\n```sh\n# not a heading\n```\n  ## Setup ##\n#nospace\n####### seven\n"
        let md = MarkdownExtractor.extract(source)
        #expect(md.title == "Guide")
        // After front matter removal and CRLF → LF: "# Intro\nText\n\n```sh\n# not a heading\n```\n  ## Setup ##\n…"
        // "# Intro\n" 8 + "Text\n" 5 + "\n" 1 + "```sh\n" 6 + "# not a heading\n" 16 + "```\n" 4 = 40; "  " → 42.
        #expect(md.text.hasPrefix("# Intro\nText\n\n```sh\n"))
        #expect(
            md.headings == [
                DocumentHeading(level: 1, text: "Intro", offset: 0),
                DocumentHeading(level: 2, text: "Setup", offset: 42),
            ])
    }

    @Test("takes plain text as written, titled by its first line")
    func plain() {
        let text = PlainTextExtractor.extract("\u{FEFF}\n  Title line  \r\nbody\r\n")
        #expect(text.title == "Title line")
        #expect(text.text == "\n  Title line  \nbody\n")
    }

    @Test(
        "reads PDF pages through pdftotext",
        .enabled(
            if: IngestFixtures.executable("pdftotext") != nil || IngestFixtures.isCI,
            "needs pdftotext (apt-get install poppler-utils)"))
    func pdf() throws {
        try #require(IngestFixtures.executable("pdftotext") != nil, "pdftotext is missing: apt-get install poppler-utils")
        // two-pages.pdf is written by Fixtures/make_pdf.py with exactly these lines.
        let pdf = try PDFTextExtractor.extract(
            path: IngestFixtures.fixture("two-pages.pdf"), searchPath: ProcessInfo.processInfo.environment["PATH"] ?? "")
        #expect(pdf.text == "Hello PDF world\nSecond line here.\n\nPage two text.")
        // "Hello PDF world\n" 16 + "Second line here." 17 + "\n\n" 2 = 35.
        #expect(pdf.pages == [0, 35])
        #expect(pdf.title == "Hello PDF world")
    }

    @Test("names the PDF when pdftotext is not installed")
    func pdfWithoutTool() throws {
        let path = IngestFixtures.fixture("two-pages.pdf")
        #expect {
            try PDFTextExtractor.extract(path: path, searchPath: "/nonexistent")
        } throws: { error in
            "\(error)".contains(path) && "\(error)".contains("pdftotext") && "\(error)".contains("poppler-utils")
        }
    }

    @Test("parses a folder of mixed files into documents with stable ids")
    func folder() async throws {
        let root = try IngestFixtures.temporaryFolder("parse")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let docs = root + "/docs"
        try FileManager.default.createDirectory(atPath: docs + "/sub", withIntermediateDirectories: true)
        try "<html><head><title>Page</title></head><body><nav>menu</nav><p>Hello <em>HTML</em>.</p></body></html>"
            .write(toFile: docs + "/page.html", atomically: true, encoding: .utf8)
        try "# Notes\n\nSome *markdown*.\n".write(toFile: docs + "/sub/notes.md", atomically: true, encoding: .utf8)
        try "Plain title\nplain body\n".write(toFile: docs + "/readme.txt", atomically: true, encoding: .utf8)
        try "   \n".write(toFile: docs + "/empty.txt", atomically: true, encoding: .utf8)
        try Data([0x89, 0x50, 0x4E, 0x47]).write(to: URL(fileURLWithPath: docs + "/image.png"))
        try "{\"id\": 7, \"title\": \"Seven\", \"text\": \"seventh document\"}\n\n{\"text\": \"no id\"}\n"
            .write(toFile: docs + "/extra.jsonl", atomically: true, encoding: .utf8)

        let workspace = root + "/ws"
        let outputs = try await ParseExecutor().execute(
            IngestFixtures.invocation(
                step: "parse", inputs: ["path": .string("docs")], workspace: workspace, workingDirectory: root))
        #expect(outputs["documents"] == workspace + "/parse/documents.jsonl")
        #expect(outputs["count"] == "5")
        #expect(outputs["skipped"] == "2")  // image.png (unknown type) and empty.txt (no text)
        let documents = try JSONLines.read(DocumentRecord.self, from: workspace + "/parse/documents.jsonl")
        let byTitle = Dictionary(uniqueKeysWithValues: documents.map { ($0.title, $0) })

        let page = try #require(byTitle["Page"])
        #expect(page.text == "Hello HTML.")
        #expect(page.metadata.contentType == "text/html")
        // id: first 16 hex digits of SHA-256("page.html") (`printf page.html | sha256sum`).
        #expect(page.id == "f2df9ef3a841d0be")
        #expect(page.hash == "109e7dcbef38074d65aef67be35c07ca50bc910c3dff9022694f17e2513a812e")  // `printf "Hello HTML." | sha256sum`
        #expect(page.url == URL(fileURLWithPath: docs + "/page.html").absoluteString)
        #expect(page.changed)

        let notes = try #require(byTitle["Notes"])
        #expect(notes.text == "# Notes\n\nSome *markdown*.\n")
        #expect(notes.metadata.headings == [DocumentHeading(level: 1, text: "Notes", offset: 0)])
        #expect(byTitle["Plain title"]?.text == "Plain title\nplain body\n")
        #expect(byTitle["Seven"]?.id == "7")
        let noID = try #require(documents.first { $0.text == "no id" })
        // id from "extra.jsonl#2": `printf 'extra.jsonl#2' | sha256sum`.
        #expect(noID.id == "45813c0ebdf45021")
    }

    @Test(
        "refuses both inputs at once, and a missing path",
        arguments: [
            (["pages": ExpressionValue.string("a.jsonl"), "path": .string("docs")], "not both"),
            (["path": ExpressionValue.string("missing-folder")], "does not exist"),
        ])
    func badInputs(_ inputs: [String: ExpressionValue], _ message: String) async throws {
        let root = try IngestFixtures.temporaryFolder("parse-bad")
        defer { try? FileManager.default.removeItem(atPath: root) }
        await #expect {
            _ = try await ParseExecutor().execute(IngestFixtures.invocation(step: "parse", inputs: inputs, workspace: root))
        } throws: { error in
            (error as? StepFailure)?.isPermanent == true && "\(error)".contains(message)
        }
    }
}
