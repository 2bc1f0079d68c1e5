/// A glob over paths: `*` matches any run of characters except `/`, `**` any run including
/// `/` (and `**/` also matches nothing, so `docs/**/*.md` matches `docs/a.md`), `?` one
/// character except `/`; everything else matches itself. The whole text must match.
/// Used by `crawl`'s `allow`/`deny` (against URL paths) and `parse`'s `path`.
struct GlobPattern: Sendable, Hashable, CustomStringConvertible {
    enum Token: Sendable, Hashable {
        case literal(Character)
        case one
        case segment
        /// `**`; `slashOptional` when written as `**/`, whose slash may match nothing.
        case any(slashOptional: Bool)
    }

    let text: String
    let tokens: [Token]

    init(_ text: String) {
        self.text = text
        var tokens: [Token] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            switch chars[i] {
            case "*":
                if i + 1 < chars.count, chars[i + 1] == "*" {
                    var j = i + 2
                    while j < chars.count, chars[j] == "*" { j += 1 }
                    if j < chars.count, chars[j] == "/" {
                        tokens.append(.any(slashOptional: true))
                        i = j + 1
                    } else {
                        tokens.append(.any(slashOptional: false))
                        i = j
                    }
                } else {
                    tokens.append(.segment)
                    i += 1
                }
            case "?":
                tokens.append(.one)
                i += 1
            default:
                tokens.append(.literal(chars[i]))
                i += 1
            }
        }
        self.tokens = tokens
    }

    var description: String { text }

    /// Whether the pattern has any wildcard.
    var hasWildcards: Bool {
        tokens.contains { if case .literal = $0 { false } else { true } }
    }

    /// Whether `candidate` matches the whole pattern.
    func matches(_ candidate: String) -> Bool {
        let s = Array(candidate)
        // memo[t][c]: whether tokens[t...] match s[c...]; filled on demand.
        var memo = [[Bool?]](repeating: [Bool?](repeating: nil, count: s.count + 1), count: tokens.count + 1)
        func match(_ t: Int, _ c: Int) -> Bool {
            if let known = memo[t][c] { return known }
            let result: Bool
            if t == tokens.count {
                result = c == s.count
            } else {
                switch tokens[t] {
                case .literal(let ch):
                    result = c < s.count && s[c] == ch && match(t + 1, c + 1)
                case .one:
                    result = c < s.count && s[c] != "/" && match(t + 1, c + 1)
                case .segment:
                    var k = c
                    var found = match(t + 1, k)
                    while !found, k < s.count, s[k] != "/" {
                        k += 1
                        found = match(t + 1, k)
                    }
                    result = found
                case .any(let slashOptional):
                    var found = false
                    if slashOptional {
                        // `**/`: nothing at all, or anything ending with a slash.
                        found = match(t + 1, c)
                        var k = c
                        while !found, k < s.count {
                            if s[k] == "/" { found = match(t + 1, k + 1) }
                            k += 1
                        }
                    } else {
                        var k = c
                        while !found, k <= s.count {
                            found = match(t + 1, k)
                            k += 1
                        }
                    }
                    result = found
                }
            }
            memo[t][c] = result
            return result
        }
        return match(0, 0)
    }
}
