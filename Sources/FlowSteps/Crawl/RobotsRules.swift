/// The rules of one host's robots.txt for the user agent `flow`, as RFC 9309 (Robots
/// Exclusion Protocol) defines them:
///
/// - Groups start with `user-agent` lines; rules (`allow`, `disallow`) apply to every agent
///   of their group. The groups whose agent equals `flow` (case-insensitively) are merged and
///   used; when there is none, the `*` groups; when there is none either, everything is
///   allowed.
/// - A rule matches a path (with `?query`) by prefix; `*` matches any run of characters and a
///   final `$` anchors the end. The longest matching rule (in bytes) decides; on a tie
///   `allow` wins; no match allows. An empty `disallow` is no rule.
/// - `/robots.txt` itself is always allowed.
/// - `crawl-delay` (not in RFC 9309, widely used) of the chosen group, in seconds, is kept
///   as a lower bound on the time between requests to the host.
struct RobotsRules: Sendable, Hashable {
    struct Rule: Sendable, Hashable {
        var allow: Bool
        var pattern: String
    }

    /// The agent token we obey.
    static let agent = "flow"

    var rules: [Rule]
    var crawlDelay: Double?

    /// Everything allowed (robots.txt missing: any 4xx).
    static let allowAll = RobotsRules(rules: [], crawlDelay: nil)
    /// Nothing allowed (robots.txt unreachable: 5xx or network errors, RFC 9309 §2.3.1.4).
    static let disallowAll = RobotsRules(rules: [Rule(allow: false, pattern: "/")], crawlDelay: nil)

    init(rules: [Rule], crawlDelay: Double?) {
        self.rules = rules
        self.crawlDelay = crawlDelay
    }

    /// Parses a robots.txt body for `agent` (RFC 9309 §2.2; lines end with LF or CR LF;
    /// `#` starts a comment; unknown keys are ignored).
    init(parsing text: String, agent: String = RobotsRules.agent) {
        struct Group {
            var agents: [String] = []
            var rules: [Rule] = []
            var crawlDelay: Double?
        }
        var groups: [Group] = []
        var current: Group?
        var lastWasAgent = false
        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingSpacesAndTabs.lowercased()
            let value = line[line.index(after: colon)...].trimmingSpacesAndTabs
            switch key {
            case "user-agent":
                if !lastWasAgent {
                    if let g = current { groups.append(g) }
                    current = Group()
                }
                current?.agents.append(value.lowercased())
                lastWasAgent = true
            case "allow", "disallow":
                lastWasAgent = false
                guard current != nil else { continue }
                if key == "disallow" && value.isEmpty { continue }
                current?.rules.append(Rule(allow: key == "allow", pattern: value))
            case "crawl-delay":
                lastWasAgent = false
                if let seconds = Double(value), seconds >= 0, seconds.isFinite { current?.crawlDelay = seconds }
            default:
                // `sitemap` and unknown keys do not end a group's agent list (RFC 9309 §2.2.4).
                continue
            }
        }
        if let g = current { groups.append(g) }
        let token = agent.lowercased()
        var chosen = groups.filter { $0.agents.contains(token) }
        if chosen.isEmpty { chosen = groups.filter { $0.agents.contains("*") } }
        rules = chosen.flatMap(\.rules)
        crawlDelay = chosen.compactMap(\.crawlDelay).max()
    }

    /// Whether `path` (absolute path with `?query` if any, as in the URL) may be fetched.
    func allows(_ path: String) -> Bool {
        if path == "/robots.txt" { return true }
        var best: Rule?
        var bestLength = -1
        for rule in rules where Self.matches(rule.pattern, path) {
            let length = rule.pattern.utf8.count
            if length > bestLength || (length == bestLength && rule.allow) {
                best = rule
                bestLength = length
            }
        }
        return best?.allow ?? true
    }

    /// RFC 9309 §2.2.3 matching: prefix match, `*` wildcard, final `$` anchor.
    static func matches(_ pattern: String, _ path: String) -> Bool {
        var p = Array(pattern.utf8)
        let anchored = p.last == UInt8(ascii: "$")
        if anchored { p.removeLast() }
        let s = Array(path.utf8)
        // Greedy-with-backtracking over `*`.
        func match(_ i: Int, _ j: Int) -> Bool {
            var i = i, j = j
            while i < p.count {
                if p[i] == UInt8(ascii: "*") {
                    while i < p.count, p[i] == UInt8(ascii: "*") { i += 1 }
                    if i == p.count { return true }
                    var k = j
                    while k <= s.count {
                        if match(i, k) { return true }
                        k += 1
                    }
                    return false
                }
                guard j < s.count, s[j] == p[i] else { return false }
                i += 1
                j += 1
            }
            return anchored ? j == s.count : true
        }
        return match(0, 0)
    }
}
