// Benchmark driver for `VectorMatrix` (Sources/FlowSteps/VectorStore/VectorMatrix.swift),
// compiled together with it by run.sh (`swiftc -O`). Prints one JSON object: the milliseconds
// of every top-k search, and the first round's result rows.
//
// Usage: search-bench DIR DIM K REPEATS
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 5, let dimension = Int(arguments[2]), let k = Int(arguments[3]),
    let repeats = Int(arguments[4])
else {
    FileHandle.standardError.write(Data("usage: search-bench DIR DIM K REPEATS\n".utf8))
    exit(2)
}

func floats(_ path: String) -> [Float] {
    let data = FileManager.default.contents(atPath: path)!
    return data.withUnsafeBytes { raw in
        (0..<(data.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
    }
}

let matrix = VectorMatrix(dimension: dimension, storage: floats(arguments[1] + "/matrix.f32"))
let queryFloats = floats(arguments[1] + "/queries.f32")
let queries = stride(from: 0, to: queryFloats.count, by: dimension).map { Array(queryFloats[$0..<($0 + dimension)]) }

let clock = ContinuousClock()
var times: [Double] = []
var results: [[Int]] = []
for round in 0..<repeats {
    for query in queries {
        let start = clock.now
        let top = await matrix.topK(query, k: k)
        let elapsed = clock.now - start
        times.append(Double(elapsed.components.attoseconds) * 1e-15 + Double(elapsed.components.seconds) * 1e3)
        if round == 0 { results.append(top.map(\.row)) }
    }
}
let json: [String: Any] = ["times_ms": times, "results": results]
print(String(decoding: try JSONSerialization.data(withJSONObject: json), as: UTF8.self))
