import Foundation

/// The embedded default provider: deterministic feature hashing (the "hashing trick" with
/// signed hashes, Weinberger, Dasgupta, Langford, Smola and Attenberg, "Feature Hashing for
/// Large Scale Multitask Learning", ICML 2009). Needs no model, no network and no corpus
/// statistics: the same text always gives the same vector, on any machine.
///
/// For a text (version 1 of the scheme, `cacheKey` `hash-v1/<dimension>`):
/// 1. Normalise to NFC, then lowercase (`String.lowercased()`, full Unicode mapping).
/// 2. Words: maximal runs of Unicode scalars whose General Category is a letter (`L*`),
///    mark (`M*`) or number (`N*`); everything else separates. Drop Lucene's 33 English stop
///    words (`TextAnalysis.englishStopWords`).
/// 3. Features, each with a weight, repeats adding up:
///    - `"w:" + word` for every word, weight 3;
///    - `"b:" + word + " " + next word` for every pair of consecutive words, weight 1;
///    - `"c:" + gram` for every character n-gram, n = 3, 4, 5 (in Unicode scalars), of
///      `"<" + word + ">"` for every word (fastText's boundary marks), weight 1.
/// 4. Each feature string's UTF-8 bytes are hashed with 64-bit FNV-1a (`FNV1a64`; seed = the
///    offset basis). The feature adds `sign · weight` to component `h mod dimension`, where
///    `sign` is +1 when bit 63 of `h` is 0 and −1 otherwise (the signed hashing trick, which
///    keeps inner products unbiased under collisions).
/// 5. The vector is L2-normalised (sum of squares in Double). A text without words gives the
///    zero vector.
///
/// The weights were chosen on the Cranfield collection (word features weighing 3 gave the best
/// MAP of the variants tried; see docs/steps/embed.md). `Tests/FlowStepsTests/Embed/Fixtures/
/// hash_embedding.py` is an independent Python implementation of this text.
public struct HashEmbedder: Embedder {
    /// Components per vector; ≥ 1. Default 384.
    public let dimension: Int

    public init(dimension: Int = 384) {
        precondition(dimension >= 1, "dimension")
        self.dimension = dimension
    }

    public var cacheKey: String { "hash-v1/\(dimension)" }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        texts.map(vector)
    }

    /// The features of `text` with their summed weights (steps 1–3), for tests and docs.
    public static func features(_ text: String) -> [String: Double] {
        var features: [String: Double] = [:]
        let words = words(text)
        for word in words { features["w:" + String(decoding: word, as: UTF8.self), default: 0] += wordWeight }
        for i in words.indices.dropFirst() {
            features["b:" + String(decoding: words[i - 1] + [0x20] + words[i], as: UTF8.self), default: 0] += bigramWeight
        }
        for word in words {
            let marked = Array(("<" + String(decoding: word, as: UTF8.self) + ">").unicodeScalars)
            for n in 3...5 where marked.count >= n {
                for first in 0...(marked.count - n) {
                    var gram = "c:"
                    gram.unicodeScalars.append(contentsOf: marked[first..<(first + n)])
                    features[gram, default: 0] += characterWeight
                }
            }
        }
        return features
    }

    /// The vector of one text (steps 1–5).
    public func vector(_ text: String) -> [Float] {
        var sums = [Double](repeating: 0, count: dimension)
        let d = UInt64(dimension)
        @inline(__always) func add(_ h: UInt64, _ weight: Double) {
            sums[Int(h % d)] += h >> 63 == 0 ? weight : -weight
        }
        let words = Self.words(text)
        // Feature hashes are computed byte by byte from the prefix's state, without building
        // the feature strings (the same bytes as `features`).
        let wordPrefix = FNV1a64.hash("w:".utf8), bigramPrefix = FNV1a64.hash("b:".utf8), gramPrefix = FNV1a64.hash("c:".utf8)
        for word in words { add(FNV1a64.extend(wordPrefix, word), Self.wordWeight) }
        for i in words.indices.dropFirst() {
            let h = FNV1a64.extend(FNV1a64.extend(FNV1a64.extend(bigramPrefix, words[i - 1]), CollectionOfOne(0x20)), words[i])
            add(h, Self.bigramWeight)
        }
        var marked: [UInt8] = []
        var starts: [Int] = []  // byte offset of each scalar of `marked`, then its end
        for word in words {
            marked.removeAll(keepingCapacity: true)
            marked.append(UInt8(ascii: "<"))
            marked.append(contentsOf: word)
            marked.append(UInt8(ascii: ">"))
            starts.removeAll(keepingCapacity: true)
            for (offset, byte) in marked.enumerated() where byte & 0xC0 != 0x80 { starts.append(offset) }
            let scalars = starts.count
            starts.append(marked.count)
            for n in 3...5 where scalars >= n {
                for first in 0...(scalars - n) {
                    add(FNV1a64.extend(gramPrefix, marked[starts[first]..<starts[first + n]]), Self.characterWeight)
                }
            }
        }
        var norm = 0.0
        for s in sums { norm += s * s }
        guard norm > 0 else { return [Float](repeating: 0, count: dimension) }
        let scale = 1 / norm.squareRoot()
        return sums.map { Float($0 * scale) }
    }

    static let wordWeight = 3.0
    static let bigramWeight = 1.0
    static let characterWeight = 1.0

    /// Steps 1–2: the words of `text` as UTF-8 bytes, stop words removed. ASCII text (already
    /// NFC; its letters and digits are its only `L*`/`N*` characters) takes a byte-level path.
    static func words(_ text: String) -> [[UInt8]] {
        var words: [[UInt8]] = []
        var current: [UInt8] = []
        func finish() {
            if !current.isEmpty {
                if !stopWordBytes.contains(current) { words.append(current) }
                current.removeAll(keepingCapacity: true)
            }
        }
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            for byte in text.utf8 {
                switch byte {
                case 0x41...0x5A: current.append(byte + 0x20)
                case 0x61...0x7A, 0x30...0x39: current.append(byte)
                default: finish()
                }
            }
            finish()
            return words
        }
        for scalar in text.precomposedStringWithCanonicalMapping.lowercased().unicodeScalars {
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
                current.append(contentsOf: String(scalar).utf8)
            default:
                finish()
            }
        }
        finish()
        return words
    }

    private static let stopWordBytes = Set(TextAnalysis.englishStopWords.map { Array($0.utf8) })
}
