import Testing

@testable import FlowCore

/// Digests from the NIST examples for FIPS 180-4 (csrc.nist.gov, "SHA256.pdf" and the
/// SHAVS short/long message examples), independent of this implementation.
@Suite("SHA-256")
struct SHA256Tests {
    @Test(
        "matches the FIPS 180-4 examples",
        arguments: [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
            (
                "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
                "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
            ),
        ])
    func examples(_ message: String, _ digest: String) {
        #expect(SHA256.hexDigest(of: message) == digest)
        #expect(SHA256.hexDigest(Array(message.utf8)) == digest)
    }

    @Test("hashes one million 'a' fed in uneven pieces")
    func million() {
        var hasher = SHA256()
        var remaining = 1_000_000
        var piece = 1
        while remaining > 0 {
            let n = min(piece, remaining)
            hasher.update([UInt8](repeating: UInt8(ascii: "a"), count: n))
            remaining -= n
            piece = piece % 127 + 1
        }
        #expect(SHA256.hex(hasher.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
