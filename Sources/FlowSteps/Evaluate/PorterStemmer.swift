/// The Porter stemmer as NLTK's `PorterStemmer()` applies it in its default
/// `NLTK_EXTENSIONS` mode, which rouge-score uses for `use_stemmer=True`.
/// Source: M. F. Porter, "An algorithm for suffix stripping", Program 14(3), 1980, with NLTK's
/// documented departures (irregular forms, `ies`/`ied` on 4-letter words, `y → i` only after a
/// consonant that is not the whole stem, `alli`, `fulli`, `logi`, `bli` in step 2, and `*o`
/// true for a vowel-consonant stem of two letters).
///
/// Works on lowercase ASCII letters and digits (the only characters rouge-score's tokens have);
/// digits count as consonants.
enum PorterStemmer {
    static func stem(_ word: String) -> String {
        if let irregular = irregularForms[word] { return irregular }
        var w = Array(word.utf8)
        if w.count <= 2 { return word }
        w = step1a(w)
        w = step1b(w)
        w = step1c(w)
        w = step2(w)
        w = step3(w)
        w = step4(w)
        w = step5a(w)
        w = step5b(w)
        return String(decoding: w, as: UTF8.self)
    }

    private typealias Word = [UInt8]

    private static let irregularForms: [String: String] = [
        "sky": "sky", "skies": "sky", "dying": "die", "lying": "lie", "tying": "tie",
        "news": "news", "innings": "inning", "inning": "inning", "outings": "outing",
        "outing": "outing", "cannings": "canning", "canning": "canning", "howe": "howe",
        "proceed": "proceed", "exceed": "exceed", "succeed": "succeed",
    ]

    // MARK: Letters and measure

    private static func isVowel(_ c: UInt8) -> Bool {
        c == 0x61 || c == 0x65 || c == 0x69 || c == 0x6F || c == 0x75  // a e i o u
    }

    /// `true` for consonants: not a vowel, and `y` only at the start or after a vowel.
    private static func consonants(_ w: Word) -> [Bool] {
        var flags: [Bool] = []
        flags.reserveCapacity(w.count)
        for (i, c) in w.enumerated() {
            if isVowel(c) {
                flags.append(false)
            } else if c == 0x79 {  // y
                flags.append(i == 0 ? true : !flags[i - 1])
            } else {
                flags.append(true)
            }
        }
        return flags
    }

    /// m in [C](VC)^m[V].
    private static func measure(_ w: Word) -> Int {
        let flags = consonants(w)
        var m = 0
        for i in flags.indices.dropLast() where !flags[i] && flags[i + 1] { m += 1 }
        return m
    }

    private static func hasPositiveMeasure(_ w: Word) -> Bool { measure(w) > 0 }

    private static func containsVowel(_ w: Word) -> Bool { consonants(w).contains(false) }

    /// `*d`: ends with a double consonant.
    private static func endsDoubleConsonant(_ w: Word) -> Bool {
        w.count >= 2 && w[w.count - 1] == w[w.count - 2] && consonants(w)[w.count - 1]
    }

    /// `*o`: ends consonant-vowel-consonant, the last not w, x or y (NLTK: or is a two-letter
    /// vowel-consonant word).
    private static func endsCVC(_ w: Word) -> Bool {
        let flags = consonants(w)
        let n = w.count
        if n >= 3, flags[n - 3], !flags[n - 2], flags[n - 1],
            w[n - 1] != 0x77, w[n - 1] != 0x78, w[n - 1] != 0x79
        {
            return true
        }
        return n == 2 && !flags[0] && flags[1]
    }

    // MARK: Rules

    private struct Rule {
        let suffix: Word
        let replacement: Word
        let condition: ((Word) -> Bool)?

        init(_ suffix: String, _ replacement: String, _ condition: ((Word) -> Bool)? = nil) {
            self.suffix = Array(suffix.utf8)
            self.replacement = Array(replacement.utf8)
            self.condition = condition
        }
    }

    private static func hasSuffix(_ w: Word, _ suffix: Word) -> Bool {
        w.count >= suffix.count && w.suffix(suffix.count).elementsEqual(suffix)
    }

    private static func hasSuffix(_ w: Word, _ suffix: String) -> Bool {
        hasSuffix(w, Array(suffix.utf8))
    }

    private static func replacingSuffix(_ w: Word, _ count: Int, with replacement: String) -> Word {
        Word(w.dropLast(count)) + Array(replacement.utf8)
    }

    /// The first rule whose suffix matches decides: its replacement if its condition holds on
    /// the stem, else the word unchanged.
    private static func apply(_ rules: [Rule], to w: Word) -> Word {
        for rule in rules where hasSuffix(w, rule.suffix) {
            let stem = Word(w.dropLast(rule.suffix.count))
            if rule.condition?(stem) ?? true { return stem + rule.replacement }
            return w
        }
        return w
    }

    // MARK: Steps

    private static func step1a(_ w: Word) -> Word {
        if hasSuffix(w, "ies"), w.count == 4 { return replacingSuffix(w, 3, with: "ie") }
        return apply([Rule("sses", "ss"), Rule("ies", "i"), Rule("ss", "ss"), Rule("s", "")], to: w)
    }

    private static func step1b(_ w: Word) -> Word {
        if hasSuffix(w, "ied") { return replacingSuffix(w, 3, with: w.count == 4 ? "ie" : "i") }
        if hasSuffix(w, "eed") {
            let stem = Word(w.dropLast(3))
            return measure(stem) > 0 ? stem + Array("ee".utf8) : w
        }
        var intermediate: Word?
        for suffix in ["ed", "ing"] where hasSuffix(w, suffix) {
            let stem = Word(w.dropLast(suffix.utf8.count))
            if containsVowel(stem) {
                intermediate = stem
                break
            }
        }
        guard let stem = intermediate else { return w }
        for (suffix, replacement) in [("at", "ate"), ("bl", "ble"), ("iz", "ize")]
        where hasSuffix(stem, suffix) {
            return replacingSuffix(stem, 2, with: replacement)
        }
        if endsDoubleConsonant(stem) {
            let last = stem[stem.count - 1]
            // l, s, z keep their double letter.
            if last == 0x6C || last == 0x73 || last == 0x7A { return stem }
            return Word(stem.dropLast())
        }
        if measure(stem) == 1, endsCVC(stem) { return stem + [0x65] }  // + e
        return stem
    }

    private static func step1c(_ w: Word) -> Word {
        apply([Rule("y", "i") { stem in stem.count > 1 && consonants(stem)[stem.count - 1] }], to: w)
    }

    private static func step2(_ w: Word) -> Word {
        if hasSuffix(w, "alli"), hasPositiveMeasure(Word(w.dropLast(4))) {
            return step2(replacingSuffix(w, 4, with: "al"))
        }
        let m = hasPositiveMeasure
        return apply(
            [
                Rule("ational", "ate", m), Rule("tional", "tion", m), Rule("enci", "ence", m),
                Rule("anci", "ance", m), Rule("izer", "ize", m), Rule("bli", "ble", m),
                Rule("alli", "al", m), Rule("entli", "ent", m), Rule("eli", "e", m),
                Rule("ousli", "ous", m), Rule("ization", "ize", m), Rule("ation", "ate", m),
                Rule("ator", "ate", m), Rule("alism", "al", m), Rule("iveness", "ive", m),
                Rule("fulness", "ful", m), Rule("ousness", "ous", m), Rule("aliti", "al", m),
                Rule("iviti", "ive", m), Rule("biliti", "ble", m), Rule("fulli", "ful", m),
                // NLTK measures "logi" minus "ogi", i.e. the stem plus "l".
                Rule("logi", "log") { stem in hasPositiveMeasure(stem + [0x6C]) },
            ], to: w)
    }

    private static func step3(_ w: Word) -> Word {
        let m = hasPositiveMeasure
        return apply(
            [
                Rule("icate", "ic", m), Rule("ative", "", m), Rule("alize", "al", m),
                Rule("iciti", "ic", m), Rule("ical", "ic", m), Rule("ful", "", m),
                Rule("ness", "", m),
            ], to: w)
    }

    private static func step4(_ w: Word) -> Word {
        let m: (Word) -> Bool = { measure($0) > 1 }
        return apply(
            [
                Rule("al", "", m), Rule("ance", "", m), Rule("ence", "", m), Rule("er", "", m),
                Rule("ic", "", m), Rule("able", "", m), Rule("ible", "", m), Rule("ant", "", m),
                Rule("ement", "", m), Rule("ment", "", m), Rule("ent", "", m),
                Rule("ion", "") { stem in
                    measure(stem) > 1 && (stem.last == 0x73 || stem.last == 0x74)  // s, t
                },
                Rule("ou", "", m), Rule("ism", "", m), Rule("ate", "", m), Rule("iti", "", m),
                Rule("ous", "", m), Rule("ive", "", m), Rule("ize", "", m),
            ], to: w)
    }

    private static func step5a(_ w: Word) -> Word {
        guard w.last == 0x65 else { return w }  // e
        let stem = Word(w.dropLast())
        let m = measure(stem)
        if m > 1 || (m == 1 && !endsCVC(stem)) { return stem }
        return w
    }

    private static func step5b(_ w: Word) -> Word {
        // NLTK measures the word minus one "l".
        apply([Rule("ll", "l") { stem in measure(stem + [0x6C]) > 1 }], to: w)
    }
}
