// Driver of Benchmarks/chunk/run.sh, compiled with swiftc -O together with the chunker and
// HTML text extraction sources (no package target).
//
//   chunk-bench extract HTML_FOLDER OUT.jsonl   — page text + heading offsets, one JSON line per page
//   chunk-bench chunk TEXTS.jsonl REPEATS       — times the recursive chunker (1000/100 characters)
import Foundation

let arguments = CommandLine.arguments
guard arguments.count >= 4 else {
    FileHandle.standardError.write(Data("usage: chunk-bench extract HTML_FOLDER OUT | chunk TEXTS REPEATS\n".utf8))
    exit(2)
}

struct Page: Codable {
    var path: String
    var text: String
    var headings: [Int]
}

/// Median seconds over `repeats` rounds of chunking every page; chunk count and total length.
func measure(_ pages: [Page], repeats: Int) -> (Double, Int, Int) {
    let chunker = TextChunker(strategy: .recursive, size: 1000, overlap: 100, unit: .characters)
    var times: [Double] = []
    var chunks = 0
    var totalLength = 0
    for _ in 0..<repeats {
        let start = ContinuousClock.now
        chunks = 0
        totalLength = 0
        for page in pages {
            let spans = chunker.spans(of: page.text, headingOffsets: page.headings)
            chunks += spans.count
            for span in spans { totalLength += span.end - span.start }
        }
        let elapsed = ContinuousClock.now - start
        times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
    return (times.sorted()[times.count / 2], chunks, totalLength)
}

switch arguments[1] {
case "extract":
    let root = URL(fileURLWithPath: arguments[2]).resolvingSymlinksInPath()
    var files: [URL] = []
    if let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) {
        for case let url as URL in walker where url.pathExtension == "html" { files.append(url) }
    }
    files.sort { $0.path < $1.path }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var out = Data()
    for file in files {
        let bytes = [UInt8](try Data(contentsOf: file))
        guard let page = HTMLTextExtractor.extract(bytes) else { continue }
        out.append(try encoder.encode(Page(path: file.path, text: page.text, headings: page.headings.map(\.offset))))
        out.append(0x0A)
    }
    try out.write(to: URL(fileURLWithPath: arguments[3]))
case "chunk":
    let data = try Data(contentsOf: URL(fileURLWithPath: arguments[2]))
    let decoder = JSONDecoder()
    let pages = try data.split(separator: 0x0A).map { try decoder.decode(Page.self, from: Data($0)) }
    let bytes = pages.reduce(0) { $0 + $1.text.utf8.count }
    let repeats = Int(arguments[3]) ?? 5
    let (median, chunks, totalLength) = measure(pages, repeats: repeats)
    print(String(format: "%.4f %d %d %d", median, bytes, chunks, totalLength))
default:
    exit(2)
}
