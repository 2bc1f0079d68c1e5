/// Reads cron expression text into `CronSyntax`, reporting the first problem with its field and
/// 0-based character position.
///
/// Grammar (crontab(5) plus the common Quartz extensions), fields separated by spaces or tabs:
/// ```
/// expression = macro | [second] minute hour day-of-month month day-of-week
/// field      = "?" | item ("," item)*          ("?" in the two day fields only)
/// item       = ("*" | value ["-" value]) ["/" step]
///            | "L" ["-" n] | "LW" | n "W"      (day-of-month)
///            | value "L" | value "#" n          (day-of-week)
/// value      = digits | three-letter name      (names: month JAN–DEC, day-of-week SUN–SAT)
/// ```
struct CronParser {
    /// The text's Characters as ASCII codes, one per Character (so indices are Character
    /// positions); any non-ASCII Character is `nonASCII`, which no rule accepts.
    private let codes: [UInt8]
    private let text: String
    private static let nonASCII: UInt8 = 0xFF

    /// Expansions of the macros, as in cronie's crontab(5).
    static let macros: [String: String] = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
        "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
        "@hourly": "0 * * * *",
    ]

    init(_ text: String) {
        self.text = text
        self.codes = text.map { $0.asciiValue ?? Self.nonASCII }
    }

    /// - Throws: `CronError` for the first problem, scanning left to right.
    func parse() throws(CronError) -> CronSyntax {
        let tokens = self.tokens()
        if let first = tokens.first, codes[first.lowerBound] == ascii("@") {
            let name = original(first).lowercased()
            guard let expansion = Self.macros[name] else {
                let known = "@yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly"
                let why = name == "@reboot" ? "@reboot has no fire times" : "unknown macro '\(original(first))'"
                throw CronError(
                    code: .unknownMacro, field: "expression", position: first.lowerBound,
                    length: first.count, message: "\(why); expected \(known)")
            }
            if tokens.count > 1 {
                let extra = tokens[1].lowerBound..<tokens[tokens.count - 1].upperBound
                throw CronError(
                    code: .fieldCount, field: "expression", position: extra.lowerBound, length: extra.count,
                    message: "a macro stands alone; expected nothing after \(name)")
            }
            // The expansion is known to be valid.
            return try CronParser(expansion).parse()
        }
        guard tokens.count == 5 || tokens.count == 6 else {
            let expected = "expected 5 fields (minute hour day-of-month month day-of-week) or 6 with leading seconds"
            if tokens.count > 6 {
                let extra = tokens[6].lowerBound..<tokens[tokens.count - 1].upperBound
                throw CronError(
                    code: .fieldCount, field: "expression", position: extra.lowerBound, length: extra.count,
                    message: "found \(tokens.count) fields; \(expected)")
            }
            let end = tokens.last?.upperBound ?? codes.count
            throw CronError(
                code: .fieldCount, field: "expression", position: end, length: 0,
                message: tokens.isEmpty ? "empty expression; \(expected)" : "found \(tokens.count) fields; \(expected)")
        }
        let hasSeconds = tokens.count == 6
        var fields: [CronSyntax.FieldSyntax] = []
        if !hasSeconds { fields.append(.init(items: [.value(0)], beginsWithWildcard: false)) }
        for (index, token) in tokens.enumerated() {
            let field = CronSyntax.Field(rawValue: index + (hasSeconds ? 0 : 1))!
            fields.append(try parseField(field, token))
        }
        return CronSyntax(fields: fields, hasSeconds: hasSeconds)
    }

    /// Maximal runs of non-whitespace characters.
    private func tokens() -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start: Int?
        for (i, c) in codes.enumerated() {
            if c == ascii(" ") || (9...13).contains(c) {
                if let s = start { result.append(s..<i) }
                start = nil
            } else if start == nil {
                start = i
            }
        }
        if let s = start { result.append(s..<codes.count) }
        return result
    }

    private func parseField(_ field: CronSyntax.Field, _ span: Range<Int>) throws(CronError) -> CronSyntax.FieldSyntax {
        if span.count == 1, codes[span.lowerBound] == ascii("?") {
            guard field == .dayOfMonth || field == .dayOfWeek else {
                throw error(
                    .misplaced, field, span, "'?' is only allowed in the day-of-month and day-of-week fields; expected \(field.expected)")
            }
            return .init(items: [.any(step: 1)], beginsWithWildcard: true)
        }
        var items: [CronSyntax.Item] = []
        var start = span.lowerBound
        for i in span.lowerBound...span.upperBound where i == span.upperBound || codes[i] == ascii(",") {
            items.append(try parseItem(field, start..<i))
            start = i + 1
        }
        return .init(items: items, beginsWithWildcard: codes[span.lowerBound] == ascii("*"))
    }

    private func parseItem(_ field: CronSyntax.Field, _ span: Range<Int>) throws(CronError) -> CronSyntax.Item {
        guard !span.isEmpty else {
            throw error(.unexpectedCharacter, field, span.lowerBound..<span.lowerBound, "empty list item; expected \(field.expected)")
        }
        var i = span.lowerBound
        let end = span.upperBound
        func peek() -> UInt8? { i < end ? codes[i] : nil }

        if codes[i] == ascii("?") {
            let why =
                field == .dayOfMonth || field == .dayOfWeek
                ? "'?' stands alone in its field" : "'?' is only allowed in the day-of-month and day-of-week fields"
            throw error(.misplaced, field, i..<i + 1, "\(why); expected \(field.expected)")
        }
        if field == .dayOfMonth, codes[i] == ascii("L") || codes[i] == ascii("l") {
            return try parseLastDay(span)
        }

        let item: CronSyntax.Item
        if codes[i] == ascii("*") {
            i += 1
            if peek() == ascii("/") {
                i += 1
                let step = try parseStep(field, &i, end)
                item = .any(step: step)
            } else {
                item = .any(step: 1)
            }
        } else {
            let first = try parseValue(field, &i, end)
            if peek() == ascii("-") {
                i += 1
                let last = try parseValue(field, &i, end)
                guard first <= last else {
                    throw error(
                        .reversedRange, field, span.lowerBound..<i,
                        "range \(first)-\(last) runs backwards; expected the start to be at most the end")
                }
                if peek() == ascii("/") {
                    i += 1
                    item = .range(first: first, last: last, step: try parseStep(field, &i, end))
                } else {
                    item = .range(first: first, last: last, step: 1)
                }
            } else if peek() == ascii("/") {
                guard first <= field.last else {
                    throw error(
                        .outOfRange, field, span.lowerBound..<i,
                        "\(first)/n would start after \(field.last); expected a start \(field.bounds.lowerBound)–\(field.last)")
                }
                i += 1
                item = .range(first: first, last: field.last, step: try parseStep(field, &i, end))
            } else if field == .dayOfMonth, peek() == ascii("W") || peek() == ascii("w") {
                i += 1
                item = .nearestWeekday(day: first)
            } else if field == .dayOfWeek, peek() == ascii("L") || peek() == ascii("l") {
                i += 1
                item = .lastWeekday(first)
            } else if field == .dayOfWeek, peek() == ascii("#") {
                i += 1
                let nthStart = i
                guard let nth = readNumber(&i, end), (1...5).contains(nth) else {
                    throw error(
                        .outOfRange, field, nthStart..<max(i, nthStart + 1),
                        "expected an occurrence 1–5 after '#', as in 1#2 (the second Monday)")
                }
                item = .nthWeekday(first, nth: nth)
            } else {
                item = .value(first)
            }
        }
        if let c = peek() {
            let suffix = [ascii("L"), ascii("l"), ascii("W"), ascii("w"), ascii("#")].contains(c)
            throw error(suffix ? .misplaced : .unexpectedCharacter, field, i..<i + 1, unexpected(at: i, in: field))
        }
        return item
    }

    /// `L`, `L-n`, `LW` in the day-of-month field.
    private func parseLastDay(_ span: Range<Int>) throws(CronError) -> CronSyntax.Item {
        var i = span.lowerBound + 1
        let end = span.upperBound
        if i == end { return .lastDayOfMonth(offset: 0) }
        if codes[i] == ascii("W") || codes[i] == ascii("w"), i + 1 == end { return .lastWeekdayOfMonth }
        if codes[i] == ascii("-") {
            i += 1
            let numberStart = i
            guard let offset = readNumber(&i, end) else {
                throw error(
                    .unexpectedCharacter, .dayOfMonth, numberStart..<min(numberStart + 1, end),
                    "expected a number of days after 'L-', as in L-3")
            }
            guard offset <= 30 else {
                throw error(.outOfRange, .dayOfMonth, numberStart..<i, "L-\(offset) is out of range; expected L-0 to L-30")
            }
            if i < end {
                throw error(
                    .unexpectedCharacter, .dayOfMonth, i..<i + 1,
                    "unexpected '\(original(i..<i + 1))' after L-\(offset); expected ',' or the end of the field")
            }
            return .lastDayOfMonth(offset: offset)
        }
        throw error(.unexpectedCharacter, .dayOfMonth, i..<i + 1, "unexpected '\(original(i..<i + 1))' after 'L'; expected L, L-n or LW")
    }

    /// A number or, in the month and day-of-week fields, a three-letter name.
    private func parseValue(_ field: CronSyntax.Field, _ i: inout Int, _ end: Int) throws(CronError) -> Int {
        let start = i
        if let number = readNumber(&i, end) {
            guard field.bounds.contains(number) else {
                throw error(.outOfRange, field, start..<i, "\(number) is out of range; expected \(field.expected)")
            }
            return number
        }
        if i < end, isLetter(codes[i]) {
            var j = i
            while j < end, isLetter(codes[j]) { j += 1 }
            let word = String(decoding: codes[i..<j], as: UTF8.self).uppercased()
            if j == i + 1, word == "L" || word == "W", field.names == nil || word == "L" {
                throw error(.misplaced, field, i..<j, unexpected(at: i, in: field))
            }
            guard let names = field.names else {
                throw error(.unknownName, field, i..<j, "unexpected '\(original(i..<j))'; expected \(field.expected)")
            }
            // `FRIL` is `FRI` followed by the `L` suffix.
            let letters = field == .dayOfWeek && word.count == 4 && word.hasSuffix("L") ? 3 : word.count
            if let index = names.firstIndex(of: String(word.prefix(letters))), !names[index].isEmpty, letters == 3 {
                i += 3
                return index
            }
            let kind = field == .month ? "month" : "day-of-week"
            throw error(.unknownName, field, i..<j, "unknown \(kind) name '\(original(i..<j))'; expected \(field.expected)")
        }
        if i < end {
            let suffix = codes[i] == ascii("#")
            throw error(suffix ? .misplaced : .unexpectedCharacter, field, i..<i + 1, unexpected(at: i, in: field))
        }
        throw error(.unexpectedCharacter, field, i..<i, "missing value; expected \(field.expected)")
    }

    /// The number after `/`: 1 ... the number of values in the field (60 for minutes, 7 for
    /// days of the week). A step past the end of the range simply yields its first value.
    private func parseStep(_ field: CronSyntax.Field, _ i: inout Int, _ end: Int) throws(CronError) -> Int {
        let start = i
        guard let step = readNumber(&i, end) else {
            throw error(.invalidStep, field, start..<start + (start < end ? 1 : 0), "expected a step (a number of at least 1) after '/'")
        }
        let largest = field.last - field.bounds.lowerBound + 1
        guard step >= 1, step <= largest else {
            throw error(.invalidStep, field, start..<i, "step \(step) is out of range; expected a step 1–\(largest)")
        }
        return step
    }

    /// Decimal digits at `i`, or nil (and `i` unchanged) when there are none. Values too large
    /// for the fields saturate so they are reported as out of range.
    private func readNumber(_ i: inout Int, _ end: Int) -> Int? {
        var value: Int?
        while i < end, codes[i] >= ascii("0"), codes[i] <= ascii("9") {
            value = min((value ?? 0) * 10 + Int(codes[i] - ascii("0")), 1_000_000)
            i += 1
        }
        return value
    }

    /// Why the character at `i` cannot be here, and what could.
    private func unexpected(at i: Int, in field: CronSyntax.Field) -> String {
        let c = original(i..<i + 1)
        switch c {
        case "L", "l":
            return field == .dayOfMonth
                ? "misplaced 'L'; expected L, L-n or LW as a list item of its own"
                : field == .dayOfWeek
                    ? "misplaced 'L'; expected a single weekday before it, as in 5L (the last Friday)"
                    : "'L' is only allowed in the day-of-month and day-of-week fields; expected \(field.expected)"
        case "W", "w":
            return field == .dayOfMonth
                ? "misplaced 'W'; expected a single day before it, as in 15W (the weekday nearest the 15th)"
                : "'W' is only allowed in the day-of-month field; expected \(field.expected)"
        case "#":
            return field == .dayOfWeek
                ? "misplaced '#'; expected a single weekday before it, as in 1#2 (the second Monday)"
                : "'#' is only allowed in the day-of-week field; expected \(field.expected)"
        default:
            return "unexpected '\(c)'; expected \(field.expected), '*', a range a-b, a step /n or a list"
        }
    }

    /// The text's Characters at `range` (for messages; `codes` has lost non-ASCII ones).
    private func original(_ range: Range<Int>) -> String {
        let start = text.index(text.startIndex, offsetBy: range.lowerBound)
        return String(text[start..<text.index(start, offsetBy: range.count)])
    }

    private func ascii(_ scalar: Unicode.Scalar) -> UInt8 { UInt8(ascii: scalar) }

    private func isLetter(_ code: UInt8) -> Bool {
        (ascii("A")...ascii("Z")).contains(code) || (ascii("a")...ascii("z")).contains(code)
    }

    private func error(_ code: CronError.Code, _ field: CronSyntax.Field, _ range: Range<Int>, _ message: String) -> CronError {
        CronError(code: code, field: field.name, position: range.lowerBound, length: range.count, message: message)
    }
}
