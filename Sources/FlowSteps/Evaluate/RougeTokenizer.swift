/// rouge-score's default tokenizer (`rouge_score.tokenize.tokenize`): lowercase (Python's
/// full Unicode `str.lower()`), every run of characters other than `a-z0-9` becomes a
/// separator, and optionally Porter-stem tokens longer than 3 characters.
enum RougeTokenizer {
    static func tokenize(_ text: String, stem: Bool) -> [String] {
        var tokens: [String] = []
        var current = String.UnicodeScalarView()
        func consume(_ scalar: Unicode.Scalar) {
            switch scalar.value {
            case 0x61...0x7A, 0x30...0x39:
                current.append(scalar)
            case 0x41...0x5A:
                current.append(Unicode.Scalar(UInt8(scalar.value + 0x20)))
            default:
                guard !current.isEmpty else { return }
                let token = String(current)
                tokens.append(stem && current.count > 3 ? PorterStemmer.stem(token) : token)
                current = String.UnicodeScalarView()
            }
        }
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                consume(scalar)
            } else {
                // Only two code points lowercase to ASCII letters or digits: U+0130 (İ → i and
                // U+0307) and U+212A (Kelvin sign → k); using the full mapping stays general.
                for lowered in scalar.properties.lowercaseMapping.unicodeScalars {
                    consume(lowered)
                }
            }
        }
        consume(" ")
        return tokens
    }
}
