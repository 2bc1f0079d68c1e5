import Glibc

/// Gives back the code and read-only data pages the daemon mapped to start or to run steps,
/// once it is idle, so that its resident set is what idling needs.
///
/// Starting touches code that idling never runs again (argument parsing, YAML, migrations,
/// crash recovery, the HTTP server's set-up), and Linux maps each file page it faults in
/// together with up to 15 neighbours already in the page cache (`fault_around_bytes`, 64 KiB),
/// so the resident set of `flow` after start is mostly file pages of its own binary. They are
/// unmodified copies of the file: `madvise(MADV_DONTNEED)` unmaps them, and the next touch
/// maps them again from the page cache (or the file) — nothing is lost, only the mapping
/// (madvise(2)). The pages stay in the page cache, where the kernel reclaims them when memory
/// is short.
///
/// Only mappings that are exactly the file's bytes are released: file-backed, private,
/// not writable (`r-xp`, `r--p`), with no anonymous page (`Anonymous`, `Swap`: a private copy
/// made on write) — so relocated data (RELRO), text relocations, a debugger's or uprobe's
/// breakpoints and anything writable stay as they are. `Private_Dirty` alone does not count: a
/// file written a moment ago (a binary just built) has dirty page-cache pages that are still
/// the file's bytes, and stay in the cache to be written back. Read from `/proc/self/smaps`
/// (proc(5)).
enum CodePages {
    /// One mapping of `/proc/self/smaps` that may be released.
    struct Mapping: Equatable {
        /// Start and end addresses; `end` is exclusive, both page-aligned.
        var start: UInt
        var end: UInt
        var path: String
    }

    /// Releases every releasable mapping of this process.
    /// - Returns: the resident kibibytes of the released mappings before the release (their
    ///   `Rss`), 0 when `/proc/self/smaps` cannot be read.
    @discardableResult
    static func release() -> Int {
        guard let text = readSmaps() else { return 0 }
        var released = 0
        for (mapping, residentKiB) in releasable(smaps: text) {
            let length = Int(mapping.end - mapping.start)
            if madvise(UnsafeMutableRawPointer(bitPattern: mapping.start), length, MADV_DONTNEED) == 0 {
                released += residentKiB
            }
        }
        return released
    }

    /// The mappings of an smaps text (proc(5): a header line `start-end perms offset dev inode
    /// path`, then `Key: value kB` lines) that may be released, each with its `Rss` in KiB.
    /// Mappings with no resident page are left out.
    static func releasable(smaps text: String) -> [(Mapping, Int)] {
        var result: [(Mapping, Int)] = []
        var current: Mapping?
        var eligible = false
        var rss = 0
        var unmodified = true
        func finish() {
            if let current, eligible, unmodified, rss > 0 { result.append((current, rss)) }
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if let header = header(line) {
                finish()
                current = header.mapping
                eligible = header.eligible
                rss = 0
                unmodified = true
                continue
            }
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, let value = Int(fields[1]) else { continue }
            switch fields[0] {
            case "Rss:": rss = value
            case "Anonymous:", "Swap:": if value != 0 { unmodified = false }
            default: break
            }
        }
        finish()
        return result
    }

    /// Parses a mapping's header line; nil for the `Key: value` lines.
    private static func header(_ line: Substring) -> (mapping: Mapping, eligible: Bool)? {
        let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
        guard fields.count >= 5, let dash = fields[0].firstIndex(of: "-"),
            let start = UInt(fields[0][..<dash], radix: 16), let end = UInt(fields[0][fields[0].index(after: dash)...], radix: 16)
        else { return nil }
        let path = fields.count == 6 ? String(fields[5].drop { $0 == " " }) : ""
        // A regular file's path starts with "/"; "[heap]", "[stack]", "[vdso]", anonymous and
        // "/dev/…" or "/memfd:…" mappings are not files to map again.
        let fromFile = path.hasPrefix("/") && !path.hasPrefix("/dev/") && !path.hasSuffix(" (deleted)")
        let eligible = fromFile && (fields[1] == "r-xp" || fields[1] == "r--p")
        return (Mapping(start: start, end: end, path: path), eligible)
    }

    /// `/proc/self/smaps`, read with read(2) to its end (a /proc file's size is 0 to stat).
    static func readSmaps() -> String? {
        let fd = open("/proc/self/smaps", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
