import Testing

@testable import FlowSteps

/// Hand-worked cases of the documented glob rules (docs/steps/crawl.md).
@Suite("Glob patterns")
struct GlobPatternTests {
    @Test(
        "matches as documented",
        arguments: [
            ("/library/*.html", "/library/json.html", true),
            ("/library/*.html", "/library/sub/json.html", false),
            ("/library/**", "/library/sub/json.html", true),
            ("/library/**", "/library/", true),
            ("**/genindex-*", "/genindex-A.html", true),
            ("**/genindex-*", "/a/b/genindex-all.html", true),
            ("/docs/**/*.md", "/docs/a.md", true),
            ("/docs/**/*.md", "/docs/x/y/a.md", true),
            ("/docs/**/*.md", "/docs/x/y/a.txt", false),
            ("/page?.html", "/page1.html", true),
            ("/page?.html", "/page/.html", false),
            ("/exact", "/exact", true),
            ("/exact", "/exact/more", false),
            ("*", "", true),
            ("/search?q=*", "/search?q=flow", true),
        ])
    func cases(_ pattern: String, _ candidate: String, _ expected: Bool) {
        #expect(GlobPattern(pattern).matches(candidate) == expected)
    }
}
