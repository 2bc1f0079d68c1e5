import Testing

@testable import FlowSteps

/// Small cases whose expected spans are computed by hand in the comments (Unicode scalar
/// offsets; the rules are in docs/steps/chunk.md). Where a case also fits LangChain's
/// RecursiveCharacterTextSplitter (langchain-text-splitters 1.1.3), its output is noted.
@Suite("Text chunker")
struct TextChunkerTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var chunker: TextChunker
        var text: String
        var headings: [Int] = []
        var expected: [String]
        var spans: [TextSpan]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        // "aaa bbb ccc ddd": no section/paragraph/line/sentence breaks, so word pieces
        // "aaa "(4) "bbb "(4) "ccc "(4) "ddd"(3). size 10: 4+4=8, +4=12>10 → emit [0,8) trimmed
        // to [0,7); drop both; 4+3=7 → [8,15). LangChain (10, 0): ['aaa bbb', 'ccc ddd'].
        Case(
            name: "words, no overlap",
            chunker: TextChunker(size: 10, overlap: 0), text: "aaa bbb ccc ddd",
            expected: ["aaa bbb", "ccc ddd"],
            spans: [TextSpan(start: 0, end: 7), TextSpan(start: 8, end: 15)]),
        // overlap 4: after emitting [0,7) keep "bbb "(4 ≤ 4); 4+4=8, +3=11>10 → emit [4,12)
        // trimmed [4,11); keep "ccc "; 4+3=7 → [8,15).
        // LangChain (10, 4): ['aaa bbb', 'bbb ccc', 'ccc ddd'].
        Case(
            name: "words, overlap carries whole pieces",
            chunker: TextChunker(size: 10, overlap: 4), text: "aaa bbb ccc ddd",
            expected: ["aaa bbb", "bbb ccc", "ccc ddd"],
            spans: [TextSpan(start: 0, end: 7), TextSpan(start: 4, end: 11), TextSpan(start: 8, end: 15)]),
        // Paragraphs [0,9) "# Title\n\n", [9,53) (44 > 30), [53,64) "Short para.".
        // The big paragraph flushes "# Title"; its lines are [9,52) (43) and [52,53) "\n";
        // [9,52) splits into sentences [9,30) (21) and [30,52) (22): 21+22 > 30 → two chunks.
        // The lone "\n" trims to nothing. Then "Short para.".
        Case(
            name: "paragraphs then sentences",
            chunker: TextChunker(size: 30, overlap: 0),
            text: "# Title\n\nFirst sentence here. Second one is longer.\n\nShort para.",
            expected: ["# Title", "First sentence here.", "Second one is longer.", "Short para."],
            spans: [
                TextSpan(start: 0, end: 7), TextSpan(start: 9, end: 29), TextSpan(start: 30, end: 51),
                TextSpan(start: 53, end: 64),
            ]),
        // Headings at 0 and 21 make sections [0,21) (21) and [21,40) (19): 21+19 > 25.
        Case(
            name: "heading sections come first",
            chunker: TextChunker(size: 25, overlap: 0),
            text: "# A\n\nAlpha text one.\n# B\n\nBeta text two.", headings: [0, 21],
            expected: ["# A\n\nAlpha text one.", "# B\n\nBeta text two."],
            spans: [TextSpan(start: 0, end: 20), TextSpan(start: 21, end: 40)]),
        // Without heading offsets the same text splits at blank lines: [0,5) (5), [5,26) (21),
        // [26,40) (14): 5+21 > 25 → "# A"; 21+14 > 25 → [5,26) trimmed to [5,24).
        Case(
            name: "without headings, paragraphs",
            chunker: TextChunker(size: 25, overlap: 0),
            text: "# A\n\nAlpha text one.\n# B\n\nBeta text two.",
            expected: ["# A", "Alpha text one.\n# B", "Beta text two."],
            spans: [TextSpan(start: 0, end: 3), TextSpan(start: 5, end: 24), TextSpan(start: 26, end: 40)]),
        // Offsets count scalars: "héllo "(6) "wörld "(6) "👋 "(2) "done"(4), size 6:
        // 6 | 6 | 2+4=6 → [0,5) [6,11) [12,18). (LangChain keeps separators at the start of the
        // next piece and gives ['héllo', 'wörld', '👋', 'done'].)
        Case(
            name: "offsets are Unicode scalars",
            chunker: TextChunker(size: 6, overlap: 0), text: "héllo wörld 👋 done",
            expected: ["héllo", "wörld", "👋 done"],
            spans: [TextSpan(start: 0, end: 5), TextSpan(start: 6, end: 11), TextSpan(start: 12, end: 18)]),
        // A word longer than size falls to single characters: "abcdefgh" size 3 overlap 1:
        // atoms of 1; windows a,b,c → emit [0,3); keep "c"; c,d,e → [2,5); e,f,g → [4,7);
        // g,h → [6,8). LangChain (3, 1): ['abc', 'cde', 'efg', 'gh'].
        Case(
            name: "long word falls back to characters",
            chunker: TextChunker(size: 3, overlap: 1), text: "abcdefgh",
            expected: ["abc", "cde", "efg", "gh"],
            spans: [
                TextSpan(start: 0, end: 3), TextSpan(start: 2, end: 5), TextSpan(start: 4, end: 7),
                TextSpan(start: 6, end: 8),
            ]),
        // Tokens: Hello , world ! How are you ? (8). Sentence pieces "Hello, world! " (4) and
        // "How are you?" (4): 4+4 > 4 → two chunks; no whole piece of ≤ 1 token to overlap.
        Case(
            name: "tokens, sentences",
            chunker: TextChunker(size: 4, overlap: 1, unit: .tokens), text: "Hello, world! How are you?",
            expected: ["Hello, world!", "How are you?"],
            spans: [TextSpan(start: 0, end: 13), TextSpan(start: 14, end: 26)]),
        // Fixed characters, size 4 overlap 1: stride 3 → [0,4) [3,7) [6,10), the last reaches
        // the end.
        Case(
            name: "fixed characters",
            chunker: TextChunker(strategy: .fixed, size: 4, overlap: 1), text: "abcdefghij",
            expected: ["abcd", "defg", "ghij"],
            spans: [TextSpan(start: 0, end: 4), TextSpan(start: 3, end: 7), TextSpan(start: 6, end: 10)]),
        // Fixed tokens, size 3 overlap 1 over Hello[0,5) ,[5,6) world[7,12) ![12,13) How[14,17)
        // are[18,21) you[22,25) ?[25,26): stride 2 → tokens 0-2, 2-4, 4-6, 6-7.
        Case(
            name: "fixed tokens",
            chunker: TextChunker(strategy: .fixed, size: 3, overlap: 1, unit: .tokens),
            text: "Hello, world! How are you?",
            expected: ["Hello, world", "world! How", "How are you", "you?"],
            spans: [
                TextSpan(start: 0, end: 12), TextSpan(start: 7, end: 17), TextSpan(start: 14, end: 25),
                TextSpan(start: 22, end: 26),
            ]),
        // Ideographic full stops end sentences without a space: 「一。」「二。」「三。」 pieces of 2
        // scalars each, size 4 → [0,4) [4,6).
        Case(
            name: "ideographic sentences",
            chunker: TextChunker(size: 4, overlap: 0), text: "一。二。三。",
            expected: ["一。二。", "三。"],
            spans: [TextSpan(start: 0, end: 4), TextSpan(start: 4, end: 6)]),
    ]

    @Test("cuts hand-computed examples", arguments: cases)
    func handComputed(_ c: Case) {
        let spans = c.chunker.spans(of: c.text, headingOffsets: c.headings)
        #expect(spans == c.spans)
        let scalars = Array(c.text.unicodeScalars)
        let texts = spans.map { span in
            var s = ""
            s.unicodeScalars.append(contentsOf: scalars[span.start..<span.end])
            return s
        }
        #expect(texts == c.expected)
    }

    @Test("empty and whitespace-only text give no chunks", arguments: ["", "  \n\n \t"])
    func empty(_ text: String) {
        #expect(TextChunker(size: 10).spans(of: text).isEmpty)
    }

    /// Token counts by the documented rule, counted by hand.
    @Test(
        "counts tokens by the documented rule",
        arguments: [
            ("Hello, world!", 4),  // Hello , world !
            ("snake_case x2 3.14", 5),  // snake_case x2 3 . 14
            ("naïve café", 2),  // letters with diacritics are word scalars
            ("東京は大きい", 6),  // Han and Hiragana: one token each
            ("a  —  b", 3),  // a — b
            ("", 0),
        ])
    func tokens(_ text: String, _ expected: Int) {
        #expect(WordTokenizer.count(text) == expected)
    }
}
