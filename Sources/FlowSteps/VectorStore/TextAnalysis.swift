/// How text is turned into BM25 terms, for both indexed chunks and queries. Chosen per
/// collection when it is created and kept with it, so queries are always analysed like the
/// text they search.
///
/// Both analyses follow PyPI `bm25s`'s `tokenize` (version 0.3): lowercase the text
/// (`String.lowercased()`, Python's `str.lower()`), then take every maximal run of two or more
/// word characters (Python's `(?u)\b\w\w+\b`: Unicode letters `L*`, numbers `N*` and `_`;
/// counted in Unicode scalars). `english` then drops Lucene's 33 English stop words (the list
/// `bm25s.stopwords.STOPWORDS_EN` holds, from Lucene's `EnglishAnalyzer`) and stems what remains
/// with the Porter stemmer as NLTK applies it (`PorterStemmer`, `stem`). This gives the terms of
/// `bm25s.tokenize(texts, stopwords="en", stemmer=<NLTK PorterStemmer().stem>)` (checked against
/// it in the tests, on the Cranfield collection too).
public enum TextAnalysis: String, Sendable, Hashable, CaseIterable {
    /// Lowercase, `\w\w+` tokens, Lucene's English stop words removed, Porter-stemmed.
    case english
    /// Lowercase, `\w\w+` tokens; nothing removed or stemmed (any language).
    case simple

    /// The terms of `text`, in order, repeats kept (term frequencies count them).
    public func terms(_ text: String) -> [String] {
        var stems: [String: String] = [:]
        return terms(text, stems: &stems)
    }

    /// The terms of each text; each distinct word is stemmed once (stemming dominates the cost).
    public func terms(of texts: [String]) -> [[String]] {
        var stems: [String: String] = [:]
        return texts.map { terms($0, stems: &stems) }
    }

    private func terms(_ text: String, stems: inout [String: String]) -> [String] {
        var terms: [String] = []
        var current = String.UnicodeScalarView()
        var length = 0
        func finish() {
            if length >= 2 {
                let token = String(current)
                switch self {
                case .simple:
                    terms.append(token)
                case .english:
                    if !Self.englishStopWords.contains(token) {
                        if let known = stems[token] {
                            terms.append(known)
                        } else {
                            let stem = Self.stem(token)
                            stems[token] = stem
                            terms.append(stem)
                        }
                    }
                }
            }
            current = String.UnicodeScalarView()
            length = 0
        }
        for scalar in text.lowercased().unicodeScalars {
            if Self.isWordCharacter(scalar) {
                current.append(scalar)
                length += 1
            } else {
                finish()
            }
        }
        finish()
        return terms
    }

    /// Python's `\w` for `str` patterns: letters, numbers and the underscore.
    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let v = scalar.value
            return (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || (v >= 0x30 && v <= 0x39) || v == 0x5F
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return scalar.properties.numericType != nil
        }
    }

    /// NLTK's Porter stemmer on a token. The stemmer works on bytes and NLTK on characters, and
    /// both count every character other than `a e i o u` (and `y` after a consonant) as a
    /// consonant; so each distinct non-ASCII scalar is replaced by an ASCII control character
    /// (also a consonant to the stemmer, and never part of a token) for the call and restored
    /// after. A token with more than 31 distinct non-ASCII scalars is left as it is.
    static func stem(_ token: String) -> String {
        if token.utf8.allSatisfy({ $0 < 0x80 }) { return PorterStemmer.stem(token) }
        var placeholders: [Unicode.Scalar: Unicode.Scalar] = [:]
        var originals: [Unicode.Scalar: Unicode.Scalar] = [:]
        var mapped = String.UnicodeScalarView()
        for scalar in token.unicodeScalars {
            if scalar.isASCII {
                mapped.append(scalar)
                continue
            }
            if placeholders[scalar] == nil {
                guard placeholders.count < 31 else { return token }
                let placeholder = Unicode.Scalar(UInt8(placeholders.count + 1))
                placeholders[scalar] = placeholder
                originals[placeholder] = scalar
            }
            mapped.append(placeholders[scalar]!)
        }
        var restored = String.UnicodeScalarView()
        for scalar in PorterStemmer.stem(String(mapped)).unicodeScalars {
            restored.append(originals[scalar] ?? scalar)
        }
        return String(restored)
    }

    /// Lucene's `EnglishAnalyzer.ENGLISH_STOP_WORDS_SET` (33 words), as `bm25s` ships it.
    static let englishStopWords: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
        "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
        "they", "this", "to", "was", "will", "with",
    ]
}
