/// Element kinds by name without building strings: names of up to 8 bytes are packed into
/// a `UInt64` key (the common case); longer ones go through `String`.
struct HTMLElementKinds {
    private static let short: [UInt64: HTMLElementKind] = {
        var table: [UInt64: HTMLElementKind] = [:]
        for name in HTMLElementKind.knownNames where name.utf8.count <= 8 {
            table[pack(Array(name.utf8))] = HTMLElementKind(name: name)
        }
        return table
    }()

    static func pack(_ bytes: some Collection<UInt8>) -> UInt64 {
        var key: UInt64 = 0
        for b in bytes { key = key << 8 | UInt64(b) }
        return key
    }

    func kind(of node: MarkupNode) -> HTMLElementKind {
        guard let name = node.pointer.pointee.name else { return .inline }
        var key: UInt64 = 0
        var length = 0
        while name[length] != 0 {
            if length == 8 { return HTMLElementKind(name: String(cString: name)) }
            key = key << 8 | UInt64(name[length])
            length += 1
        }
        return Self.short[key] ?? .inline
    }
}
