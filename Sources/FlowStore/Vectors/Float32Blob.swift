import Foundation

#if _endian(big)
    #error("vector BLOBs are little-endian float32: big-endian hosts would need byte swapping")
#endif

/// Vectors as stored in BLOBs: `count` little-endian IEEE 754 float32 values, 4 bytes each.
enum Float32Blob {
    static func encode(_ vector: [Float]) -> Data {
        vector.withUnsafeBytes { Data($0) }
    }

    /// The floats of `blob` (its length must be a multiple of 4; a remainder is ignored).
    static func decode(_ blob: Data) -> [Float] {
        var out: [Float] = []
        append(blob, to: &out)
        return out
    }

    /// Appends the floats of `blob` to `array`, copying bytes (the BLOB may be unaligned).
    static func append(_ blob: Data, to array: inout [Float]) {
        let n = blob.count / 4
        let start = array.count
        array.append(contentsOf: repeatElement(0, count: n))
        array.withUnsafeMutableBytes { target in
            blob.withUnsafeBytes { source in
                target.baseAddress!.advanced(by: start * 4).copyMemory(from: source.baseAddress!, byteCount: n * 4)
            }
        }
    }
}
