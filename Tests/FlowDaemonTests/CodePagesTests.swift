import Foundation
import Glibc
import Testing

@testable import FlowDaemon

/// Which mappings `CodePages` gives back, and that giving one back loses nothing.
@Suite("Code pages")
struct CodePagesTests {
    /// A hand-written `/proc/self/smaps` (the layout of proc(5), abridged to the keys that
    /// matter), one mapping per rule.
    static let smaps = """
        55d4a0000000-55d4a0100000 r--p 00000000 08:01 1001 /usr/local/bin/flow
        Size:               1024 kB
        Rss:                 256 kB
        Private_Clean:       256 kB
        Private_Dirty:         0 kB
        Anonymous:             0 kB
        Swap:                  0 kB
        55d4a0100000-55d4a1000000 r-xp 00100000 08:01 1001 /usr/local/bin/flow
        Rss:               11436 kB
        Private_Dirty:     11436 kB
        Anonymous:             0 kB
        55d4a1000000-55d4a1080000 r--p 01000000 08:01 1001 /usr/local/bin/flow
        Rss:                 480 kB
        Private_Dirty:       480 kB
        Anonymous:           480 kB
        55d4a1080000-55d4a1100000 rw-p 01080000 08:01 1001 /usr/local/bin/flow
        Rss:                 856 kB
        Private_Dirty:       160 kB
        Anonymous:           160 kB
        55d4a2000000-55d4a2100000 rw-p 00000000 00:00 0 [heap]
        Rss:                 140 kB
        Private_Dirty:       140 kB
        Anonymous:           140 kB
        7f0000000000-7f0000200000 r-xp 00028000 08:01 2002 /usr/lib/x86_64-linux-gnu/libc.so.6
        Rss:                1588 kB
        Private_Dirty:         0 kB
        Anonymous:             4 kB
        7f0000200000-7f0000300000 r-xp 00000000 08:01 2003 /usr/lib/x86_64-linux-gnu/libm.so.6
        Rss:                   0 kB
        Private_Dirty:         0 kB
        Anonymous:             0 kB
        7f0000300000-7f0000400000 r--s 00000000 08:01 2004 /var/lib/flow/.flow/flow.db-shm
        Rss:                  32 kB
        Private_Dirty:         0 kB
        Anonymous:             0 kB
        7f0000400000-7f0000500000 r--p 00000000 00:05 5 /dev/zero
        Rss:                   8 kB
        Private_Dirty:         0 kB
        Anonymous:             0 kB
        7f0000500000-7f0000600000 r-xp 00000000 08:01 2005 /usr/lib/old/libold.so.1 (deleted)
        Rss:                  16 kB
        Private_Dirty:         0 kB
        Anonymous:             0 kB
        7f0000600000-7f0000700000 r--p 00000000 08:01 2006 /usr/share/icu/with space.dat
        Rss:                  64 kB
        Private_Dirty:         0 kB
        Anonymous:             0 kB
        Swap:                  4 kB
        7f0000700000-7f0000800000 r--p 00000000 08:01 2007 /usr/lib/locale/locale-archive
        Rss:                 100 kB
        Private_Dirty:         0 kB
        Anonymous:             0 kB
        7ffd00000000-7ffd00002000 r-xp 00000000 00:00 0 [vdso]
        Rss:                   8 kB
        Private_Dirty:         0 kB
        Anonymous:             0 kB
        """

    @Test("only clean, private, read-only file mappings with resident pages are released")
    func rules() {
        let released = CodePages.releasable(smaps: Self.smaps).map { "\(String($0.0.start, radix: 16)) \($0.0.path) \($0.1)" }
        // By hand from the rules: the binary's headers and code (r--p, r-xp; the code's pages
        // are dirty in the page cache, as right after a build, yet no private copy); not its
        // relocated RELRO (dirty), not its data (writable), not the heap; not libc's code (one
        // copy-on-write page: a breakpoint), not libm (nothing resident), not the shared
        // -shm mapping, not /dev/zero, not a deleted file, not the swapped ICU file; the locale
        // archive (clean r--p); not the vdso.
        #expect(
            released == [
                "55d4a0000000 /usr/local/bin/flow 256",
                "55d4a0100000 /usr/local/bin/flow 11436",
                "7f0000700000 /usr/lib/locale/locale-archive 100",
            ])
    }

    @Test("a released file mapping is no longer resident and reads the same bytes again")
    func releaseKeepsContent() throws {
        // A 1 MiB file of known bytes, mapped private and read-only, every page touched.
        let path = NSTemporaryDirectory() + "flow-codepages-\(UUID().uuidString.prefix(8)).bin"
        let size = 1 << 20
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        let fd = open(path, O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        let base = try #require(mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0))
        try #require(base != MAP_FAILED)
        defer { munmap(base, size) }
        let view = base.assumingMemoryBound(to: UInt8.self)
        var sum = 0
        for offset in stride(from: 0, to: size, by: 4096) { sum &+= Int(view[offset]) }
        #expect(sum != 0)
        let start = UInt(bitPattern: base)
        #expect(Self.resident(start) == size / 1024)

        let released = CodePages.release()
        #expect(released >= size / 1024)
        #expect(Self.resident(start) == 0)
        // Touching it again maps the same bytes from the file.
        #expect(UnsafeBufferPointer(start: view, count: size).elementsEqual(bytes))
        #expect(Self.resident(start) == size / 1024)
    }

    @Test("a private mapping that was written to keeps what was written")
    func writtenMappingStays() throws {
        let size = 64 * 1024
        let path = NSTemporaryDirectory() + "flow-codepages-\(UUID().uuidString.prefix(8)).bin"
        try Data(count: size).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        let fd = open(path, O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        // Written while writable (as the loader does to RELRO), then made read-only.
        let base = try #require(mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0))
        try #require(base != MAP_FAILED)
        defer { munmap(base, size) }
        base.storeBytes(of: 0xAB, toByteOffset: 100, as: UInt8.self)
        #expect(mprotect(base, size, PROT_READ) == 0)
        CodePages.release()
        #expect(base.load(fromByteOffset: 100, as: UInt8.self) == 0xAB)
    }

    /// The `Rss` in KiB of this process's mapping that starts at `start`.
    static func resident(_ start: UInt) -> Int? {
        let text = CodePages.readSmaps() ?? ""
        let prefix = String(start, radix: 16) + "-"
        var inside = false
        for line in text.split(separator: "\n") {
            // A mapping's header starts with its address range; its keys end with a colon.
            let key = line.prefix { $0 != " " }
            if !key.hasSuffix(":") {
                inside = line.hasPrefix(prefix)
            } else if inside && key == "Rss:" {
                return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
            }
        }
        return nil
    }
}
