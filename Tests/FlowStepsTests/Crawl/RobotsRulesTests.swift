import Testing

@testable import FlowSteps

/// Expected answers from RFC 9309 and from Google's published robots.txt documentation
/// ("How Google interprets the robots.txt specification": URL matching and order of
/// precedence examples), not from this implementation.
@Suite("robots.txt rules")
struct RobotsRulesTests {
    @Test(
        "matches paths as Google's examples say",
        arguments: [
            ("/fish*", "/fish", true), ("/fish*", "/fish.html", true), ("/fish*", "/fish/salmon.html", true),
            ("/fish*", "/fishheads/yummy.html", true), ("/fish*", "/fish.php?id=anything", true),
            ("/fish*", "/Fish.asp", false), ("/fish*", "/catfish", false), ("/fish*", "/?id=fish", false),
            ("/fish/", "/fish/?id=anything", true), ("/fish/", "/fish", false), ("/fish/", "/fish.html", false),
            ("/*.php", "/index.php", true), ("/*.php", "/folder/filename.php?parameters", true),
            ("/*.php", "/", false), ("/*.php", "/windows.PHP", false),
            ("/*.php$", "/filename.php", true), ("/*.php$", "/folder/filename.php", true),
            ("/*.php$", "/filename.php?parameters", false), ("/*.php$", "/filename.php/", false),
            ("/fish*.php", "/fish.php", true), ("/fish*.php", "/fishheads/catfish.php?parameters", true),
            ("/fish*.php", "/Fish.PHP", false),
        ])
    func matching(_ pattern: String, _ path: String, _ expected: Bool) {
        #expect(RobotsRules.matches(pattern, path) == expected)
    }

    @Test(
        "the longest matching rule wins, allow on a tie (Google's precedence examples)",
        arguments: [
            ("allow: /p\ndisallow: /", "/page", true),
            ("allow: /folder\ndisallow: /folder", "/folder/page", true),
            ("allow: /page\ndisallow: /*.htm", "/page.htm", false),
            ("allow: /page\ndisallow: /*.ph", "/page.php5", true),
            ("allow: /$\ndisallow: /", "/", true),
            ("allow: /$\ndisallow: /", "/page.htm", false),
        ])
    func precedence(_ rules: String, _ path: String, _ expected: Bool) {
        let robots = RobotsRules(parsing: "user-agent: *\n" + rules + "\n")
        #expect(robots.allows(path) == expected)
    }

    @Test("uses the groups naming our agent, else *, merging repeated groups (RFC 9309 §2.2.1)")
    func groups() {
        let text = """
            # comment line
            User-agent: *
            Disallow: /

            User-Agent: FLOW
            Disallow: /private   # trailing comment
            Crawl-delay: 2

            user-agent: other
            user-agent: flow
            allow: /private/open
            disallow:

            User-agent: flowbot
            Disallow: /everything
            """
        let robots = RobotsRules(parsing: text)
        #expect(robots.allows("/public/page.html"))
        #expect(!robots.allows("/private/x"))
        #expect(robots.allows("/private/open/y"))
        #expect(robots.allows("/everything"))
        #expect(robots.crawlDelay == 2)
        #expect(robots.allows("/robots.txt"))
        let others = RobotsRules(parsing: text, agent: "somebody")
        #expect(!others.allows("/public/page.html"))
        #expect(RobotsRules(parsing: "").allows("/anything"))
        #expect(!RobotsRules.disallowAll.allows("/x") && RobotsRules.disallowAll.allows("/robots.txt"))
    }
}
