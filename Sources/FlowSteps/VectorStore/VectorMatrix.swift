import Foundation

/// `count` vectors of `dimension` floats, row-major in one contiguous array, searched exactly
/// by dot product. For cosine similarity the rows and the query are L2-normalised beforehand.
///
/// This file depends on nothing but the standard library and Foundation, so that
/// `Benchmarks/search/run.sh` compiles it alone.
public struct VectorMatrix: Sendable {
    /// Floats per row; ≥ 1.
    public let dimension: Int
    /// `count × dimension` floats; row `r` is `storage[r*dimension ..< (r+1)*dimension]`.
    public let storage: [Float]

    /// - Precondition: `storage.count` is a multiple of `dimension`, and `dimension` ≥ 1.
    public init(dimension: Int, storage: [Float]) {
        precondition(dimension >= 1 && storage.count % dimension == 0, "matrix shape")
        self.dimension = dimension
        self.storage = storage
    }

    /// Number of rows.
    public var count: Int { storage.count / dimension }

    /// One result row: its index and dot product with the query.
    public struct Match: Sendable, Hashable {
        public var row: Int
        public var score: Float
    }

    /// Matrices smaller than this many floats are searched on one task: splitting costs more
    /// than it saves below about a megabyte.
    static let parallelThreshold = 1 << 18

    /// The `k` rows with the largest dot product with `query`, best first; equal scores are
    /// ordered by row index ascending. Splits the rows into `parallelism` contiguous slices
    /// searched by child tasks, each keeping its own `k`-heap (O(n log k)), then merges them.
    ///
    /// - Precondition: `query.count == dimension`.
    public func topK(_ query: [Float], k: Int, parallelism: Int? = nil) async -> [Match] {
        precondition(query.count == dimension, "query dimension")
        let rows = count
        guard k > 0, rows > 0 else { return [] }
        let cores = parallelism ?? ProcessInfo.processInfo.activeProcessorCount
        let slices = storage.count < Self.parallelThreshold ? 1 : max(1, min(cores, rows))
        if slices == 1 {
            return Self.merge([search(query, rows: 0..<rows, k: k)], k: k)
        }
        let per = (rows + slices - 1) / slices
        let parts = await withTaskGroup(of: [Match].self, returning: [[Match]].self) { group in
            for s in 0..<slices {
                let range = (s * per)..<min(rows, (s + 1) * per)
                if range.isEmpty { continue }
                group.addTask { search(query, rows: range, k: k) }
            }
            var parts: [[Match]] = []
            for await part in group { parts.append(part) }
            return parts
        }
        return Self.merge(parts, k: k)
    }

    /// The same search on the calling thread, for callers outside a task.
    public func topKSerial(_ query: [Float], k: Int) -> [Match] {
        precondition(query.count == dimension, "query dimension")
        guard k > 0, count > 0 else { return [] }
        return Self.merge([search(query, rows: 0..<count, k: k)], k: k)
    }

    /// The best `k` of `rows`, unordered (a heap).
    private func search(_ query: [Float], rows: Range<Int>, k: Int) -> [Match] {
        var heap = WorstFirstHeap(capacity: k)
        let dimension = self.dimension
        storage.withUnsafeBufferPointer { matrix in
            query.withUnsafeBufferPointer { q in
                let base = matrix.baseAddress!
                let qp = q.baseAddress!
                for row in rows {
                    let score = Self.dot(base + row * dimension, qp, dimension)
                    heap.offer(Match(row: row, score: score))
                }
            }
        }
        return heap.items
    }

    private static func merge(_ parts: [[Match]], k: Int) -> [Match] {
        Array(parts.joined().sorted(by: ranksBefore).prefix(k))
    }

    /// Higher score first, then lower row.
    static func ranksBefore(_ a: Match, _ b: Match) -> Bool {
        a.score != b.score ? a.score > b.score : a.row < b.row
    }

    /// `Σ a[i]·b[i]` over `n` floats with four 8-lane accumulators (so the loop vectorises
    /// without reassociation by the compiler: the lanes are summed in a fixed order).
    /// Multiply and add stay separate: a fused `addingProduct` is a library call on CPUs
    /// the baseline x86-64 target does not assume FMA for.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
        let stride = MemoryLayout<Float>.stride
        var i = 0
        while i + 32 <= n {
            let o = i * stride
            s0 += ra.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self) * rb.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
            s1 +=
                ra.loadUnaligned(fromByteOffset: o + 32, as: SIMD8<Float>.self)
                * rb.loadUnaligned(fromByteOffset: o + 32, as: SIMD8<Float>.self)
            s2 +=
                ra.loadUnaligned(fromByteOffset: o + 64, as: SIMD8<Float>.self)
                * rb.loadUnaligned(fromByteOffset: o + 64, as: SIMD8<Float>.self)
            s3 +=
                ra.loadUnaligned(fromByteOffset: o + 96, as: SIMD8<Float>.self)
                * rb.loadUnaligned(fromByteOffset: o + 96, as: SIMD8<Float>.self)
            i += 32
        }
        while i + 8 <= n {
            let o = i * stride
            s0 += ra.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self) * rb.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
            i += 8
        }
        var total = ((s0 + s1) + (s2 + s3)).sum()
        while i < n {
            total += a[i] * b[i]
            i += 1
        }
        return total
    }

    /// A bounded binary heap whose root is the worst kept match, so a better candidate
    /// replaces it in O(log k).
    private struct WorstFirstHeap {
        private(set) var items: [Match] = []
        let capacity: Int

        init(capacity: Int) {
            self.capacity = capacity
            items.reserveCapacity(capacity)
        }

        /// `a` is worse than `b` (would be dropped first).
        @inline(__always)
        private static func worse(_ a: Match, _ b: Match) -> Bool {
            a.score != b.score ? a.score < b.score : a.row > b.row
        }

        @inline(__always)
        mutating func offer(_ match: Match) {
            if items.count < capacity {
                items.append(match)
                siftUp(items.count - 1)
            } else if Self.worse(items[0], match) {
                items[0] = match
                siftDown(0)
            }
        }

        private mutating func siftUp(_ start: Int) {
            var child = start
            while child > 0 {
                let parent = (child - 1) / 2
                guard Self.worse(items[child], items[parent]) else { return }
                items.swapAt(child, parent)
                child = parent
            }
        }

        private mutating func siftDown(_ start: Int) {
            var parent = start
            let n = items.count
            while true {
                let left = 2 * parent + 1
                if left >= n { return }
                var worst = left
                if left + 1 < n, Self.worse(items[left + 1], items[left]) { worst = left + 1 }
                guard Self.worse(items[worst], items[parent]) else { return }
                items.swapAt(worst, parent)
                parent = worst
            }
        }
    }
}
