import Foundation
import Testing

@testable import FlowSteps

@Suite("HTML text extraction")
struct HTMLTextExtractorTests {
    func extract(_ html: String) throws -> ExtractedText {
        try #require(HTMLTextExtractor.extract(Array(html.utf8)))
    }

    @Test("drops scripts, styles, navigation and page furniture, keeps content in order")
    func boilerplate() throws {
        let page = try extract(
            """
            <!DOCTYPE html><html><head><title> Release   notes </title>
            <style>body { color: red }</style><script>var secret = "tracking";</script></head>
            <body>
            <header><a href="/">Home</a> | <a href="/blog">Blog</a></header>
            <nav><ul><li>Menu one</li><li>Menu two</li></ul></nav>
            <div role="navigation">Breadcrumbs here</div>
            <h1>Version 2.0</h1>
            <p>The   first
               paragraph.</p>
            <noscript>Enable JavaScript</noscript>
            <h2>Changes</h2>
            <ul><li>Faster <b>startup</b></li><li>Fewer bugs</li></ul>
            <ol start="3"><li>third</li><li>fourth</li></ol>
            <pre>
            let x = 1
              indented()
            </pre>
            <table><tr><th>Name</th><th>Value</th></tr><tr><td>a</td><td>1</td></tr></table>
            <aside>Related posts</aside>
            <p hidden>Invisible</p><span aria-hidden="true">icon</span>
            <footer>© 2026 Example</footer>
            <script>console.log("late")</script>
            </body></html>
            """)
        #expect(page.title == "Release notes")
        #expect(
            page.text == """
                # Version 2.0

                The first paragraph.

                ## Changes

                - Faster startup
                - Fewer bugs

                3. third
                4. fourth

                ```
                let x = 1
                  indented()
                ```

                Name | Value
                a | 1
                """)
        // Offsets of the heading lines in Unicode scalars: "# Version 2.0\n\n" is 15 long,
        // "The first paragraph.\n\n" 22 more.
        #expect(
            page.headings == [
                DocumentHeading(level: 1, text: "Version 2.0", offset: 0),
                DocumentHeading(level: 2, text: "Changes", offset: 37),
            ])
    }

    @Test("reads only the main content when the page marks it")
    func mainContent() throws {
        let page = try extract(
            """
            <html><body><div class="menu">Sidebar link</div>
            <div role="main"><h1>Title</h1><p>Body text.</p></div>
            <div>After main</div></body></html>
            """)
        #expect(page.text == "# Title\n\nBody text.")
        #expect(page.title == "Title")
    }

    @Test("recovers from malformed HTML as a browser would")
    func malformed() throws {
        // Unclosed <p> and <li>, a stray </div>, an unquoted attribute, an unknown entity,
        // mis-nested inline tags and a missing </body></html>.
        let page = try extract(
            """
            <html><head><title>Broken &amp; odd</title><body>
            <p>First para<p>Second <b>bold <i>both</b> italic</i> end
            </div><ul><li>one<li>two</ul>
            <p class=x>Tom &amp; Jerry &notanentity; caf&eacute; &#x263A;
            <script>if (a < b) { document.write("</p>") }</script>
            <p>Last
            """)
        #expect(page.title == "Broken & odd")
        #expect(
            page.text == """
                First para

                Second bold both italic end

                - one
                - two

                Tom & Jerry &notanentity; café ☺

                Last
                """)
    }

    @Test("decodes a declared legacy charset")
    func legacyCharset() throws {
        // "café" in ISO-8859-1 is not valid UTF-8; the <meta> charset says how to read it.
        var bytes = Array("<html><head><meta charset=\"iso-8859-1\"></head><body><p>caf".utf8)
        bytes.append(0xE9)
        bytes += Array("</p></body></html>".utf8)
        let page = try #require(HTMLTextExtractor.extract(bytes))
        #expect(page.text == "café")
    }

    @Test("drops Sphinx's sidebar, related bars, footer and permalink marks")
    func sphinxFurniture() throws {
        let page = try extract(
            """
            <html><body>
            <div class="related" role="navigation"><h3>Navigation</h3><ul><li><a href="x">next</a> |</li></ul></div>
            <div class="document"><div class="documentwrapper"><div class="bodywrapper"><div class="body">
            <section><h1>Topic<a class="headerlink" href="#t">¶</a></h1><p>Text.</p>
            <p class="rubric">Footnotes</p>
            <aside class="footnote-list brackets"><aside class="footnote brackets" role="note"><span>1</span><p>A note.</p></aside></aside>
            </section></div></div></div>
            <div class="sphinxsidebar"><h3>This Page</h3><a href="s">Show Source</a></div>
            <div id="sidebarbutton"><span>«</span></div></div>
            <div class="footer">© <a href="c">Copyright</a> 2001-2026.</div>
            </body></html>
            """)
        #expect(page.text == "# Topic\n\nText.\n\nFootnotes\n\n1\n\nA note.")
    }

    @Test(
        "reads the real Python documentation without its navigation",
        .enabled(
            if: IngestFixtures.pythonDocsInstalled || IngestFixtures.isCI,
            "needs python3-doc (apt-get install python3-doc)"))
    func pythonDocs() throws {
        try #require(IngestFixtures.pythonDocsInstalled, "python3-doc is not installed: apt-get install python3-doc")
        let data = try Data(contentsOf: URL(fileURLWithPath: IngestFixtures.pythonDocs + "/library/json.html"))
        let page = try #require(HTMLTextExtractor.extract([UInt8](data)))
        // From the page as a browser shows it (library/json.html of Python 3.11.2).
        #expect(page.title == "json — JSON encoder and decoder — Python 3.11.2 documentation")
        #expect(page.text.hasPrefix("# json — JSON encoder and decoder\n\nSource code: Lib/json/__init__.py\n\n"))
        #expect(
            page.text.contains(
                "JSON (JavaScript Object Notation), specified by RFC 7159 (which obsoletes RFC 4627) and by ECMA-404, "
                    + "is a lightweight data interchange format inspired by JavaScript object literal syntax"))
        #expect(page.text.contains("\n## Basic Usage\n"))
        #expect(page.text.contains("Be cautious when parsing JSON data from untrusted sources."))
        #expect(page.headings.first == DocumentHeading(level: 1, text: "json — JSON encoder and decoder", offset: 0))
        #expect(page.headings.map(\.text).contains("Encoders and Decoders"))
        // Navigation, sidebar and footer text of the Sphinx theme.
        for boilerplate in [
            "Navigation", "previous |", "next |", "modules |", "Table of Contents", "Previous topic", "Next topic",
            "This Page", "Report a Bug", "Show Source", "Quick search", "© Copyright", "Copyright 2001",
            "Python Software Foundation", "Last updated on", "Created using", "Sphinx", "¶", "«",
        ] {
            #expect(!page.text.contains(boilerplate), "boilerplate left: \(boilerplate)")
        }
        // Every heading offset points at its own line.
        for heading in page.headings {
            let line = IngestFixtures.slice(
                page.text, heading.offset, heading.offset + heading.level + 1 + heading.text.unicodeScalars.count)
            #expect(line == String(repeating: "#", count: heading.level) + " " + heading.text)
        }
    }
}
