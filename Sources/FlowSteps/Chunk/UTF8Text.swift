/// Small operations on valid UTF-8 (a Swift `String`'s storage): decoding one scalar and
/// converting between byte offsets and Unicode scalar offsets.
enum UTF8Text {
    /// Whether `byte` starts a scalar (is not a continuation byte `10xxxxxx`).
    @inline(__always)
    static func isScalarStart(_ byte: UInt8) -> Bool { byte & 0xC0 != 0x80 }

    /// The scalar starting at byte `i` of valid UTF-8 and the index just after it.
    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (Unicode.Scalar, Int) {
        let b0 = UInt32(bytes[i])
        if b0 < 0x80 { return (Unicode.Scalar(UInt8(b0)), i + 1) }
        if b0 < 0xE0 {
            let v = (b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F)
            return (Unicode.Scalar(v) ?? "\u{FFFD}", i + 2)
        }
        if b0 < 0xF0 {
            let v = (b0 & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
            return (Unicode.Scalar(v) ?? "\u{FFFD}", i + 3)
        }
        let v =
            (b0 & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12 | UInt32(bytes[i + 2] & 0x3F) << 6
            | UInt32(bytes[i + 3] & 0x3F)
        return (Unicode.Scalar(v) ?? "\u{FFFD}", i + 4)
    }

    /// Constant-time-ish conversions between byte and scalar offsets of one text: the number
    /// of scalars before every 64-byte block, counted 8 bytes at a time (a continuation byte
    /// is `10xxxxxx`: bit 7 set, bit 6 clear), plus a scan of at most 63 bytes per lookup.
    struct ScalarIndex {
        let bytes: UnsafeBufferPointer<UInt8>
        /// `blockStarts[k]`: scalars in `bytes[0 ..< 64k]`.
        private var blockStarts: [Int]

        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
            let blocks = bytes.count / 64
            var starts = [Int](repeating: 0, count: blocks + 1)
            var total = 0
            if let base = bytes.baseAddress {
                let raw = UnsafeRawPointer(base)
                for block in 0..<blocks {
                    var continuation = 0
                    for word in 0..<8 {
                        let x = raw.loadUnaligned(fromByteOffset: block * 64 + word * 8, as: UInt64.self)
                        continuation += (x & ~(x << 1) & 0x8080_8080_8080_8080).nonzeroBitCount
                    }
                    total += 64 - continuation
                    starts[block + 1] = total
                }
            }
            blockStarts = starts
        }

        /// The scalar offset of byte offset `byte` (at a scalar boundary, or the end).
        @inline(__always)
        func scalarOffset(_ byte: Int) -> Int {
            let block = byte >> 6
            var n = blockStarts[block]
            var i = block << 6
            while i < byte {
                if isScalarStart(bytes[i]) { n += 1 }
                i += 1
            }
            return n
        }

        /// Scalars in `bytes[range]`.
        @inline(__always)
        func count(_ range: Range<Int>) -> Int {
            scalarOffset(range.upperBound) - scalarOffset(range.lowerBound)
        }

        /// The byte offset where scalar `scalar` starts (the end for `scalar` ≥ the count).
        func byteOffset(ofScalar scalar: Int) -> Int {
            // The last block starting at or before the scalar, then a forward scan.
            var lo = 0, hi = blockStarts.count - 1
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if blockStarts[mid] <= scalar { lo = mid } else { hi = mid - 1 }
            }
            var i = lo << 6
            var n = blockStarts[lo]
            while i < bytes.count {
                if isScalarStart(bytes[i]) {
                    if n == scalar { return i }
                    n += 1
                }
                i += 1
            }
            return bytes.count
        }
    }
}
