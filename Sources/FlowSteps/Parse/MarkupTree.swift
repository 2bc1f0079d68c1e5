import CLibXML2

/// A document tree parsed by libxml2 — its HTML parser (`htmlReadMemory`, the
/// error-recovering parser browsers' content is usually fed to) or its XML parser
/// (`xmlReadMemory`, for sitemaps). Network access is forbidden (`NONET`); errors and
/// warnings are recovered from silently.
///
/// Valid only inside the `with…` closure that created it; not `Sendable` (one task uses it).
struct MarkupTree: ~Copyable {
    let document: xmlDocPtr

    /// Parses `bytes` as HTML and calls `body` with the tree.
    /// - Parameter encoding: the character encoding (e.g. from the HTTP `Content-Type`
    ///   charset); when nil, UTF-8 if `bytes` is valid UTF-8, else libxml2's own detection
    ///   (`<meta charset>`, then ISO-8859-1).
    /// - Returns: nil when libxml2 returns no document at all (empty input).
    static func withHTML<R>(
        _ bytes: [UInt8], encoding: String? = nil, url: String? = nil,
        _ body: (borrowing MarkupTree) throws -> R
    ) rethrows -> R? {
        _ = libxml2Initialized
        let options = Int32(
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue
                | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue)
        let chosen = encoding ?? (String(validating: bytes, as: UTF8.self) != nil ? "UTF-8" : nil)
        let doc: htmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                htmlReadMemory(chars.baseAddress, Int32(clamping: chars.count), url, chosen, options)
            }
        }
        guard let doc else { return nil }
        defer { xmlFreeDoc(doc) }
        return try body(MarkupTree(document: doc))
    }

    /// Parses `bytes` as XML (no DTD loading, no entity expansion from outside, no network)
    /// and calls `body` with the tree; nil when the bytes are not well-formed enough for
    /// libxml2's recovery mode to produce a document.
    static func withXML<R>(_ bytes: [UInt8], _ body: (borrowing MarkupTree) throws -> R) rethrows -> R? {
        _ = libxml2Initialized
        let options = Int32(
            XML_PARSE_RECOVER.rawValue | XML_PARSE_NOERROR.rawValue
                | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NONET.rawValue)
        let doc: xmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                xmlReadMemory(chars.baseAddress, Int32(clamping: chars.count), nil, nil, options)
            }
        }
        guard let doc else { return nil }
        defer { xmlFreeDoc(doc) }
        return try body(MarkupTree(document: doc))
    }

    /// The root element, if any.
    var root: MarkupNode? {
        xmlDocGetRootElement(document).map(MarkupNode.init)
    }
}

/// libxml2 must be initialised once before parsing from several threads
/// (`xmlInitParser`'s documentation); a global `let` runs exactly once.
private let libxml2Initialized: Void = xmlInitParser()

/// A node of a `MarkupTree`: a thin view over libxml2's `xmlNode`, valid while the tree is.
struct MarkupNode {
    let pointer: xmlNodePtr

    var isElement: Bool { pointer.pointee.type == XML_ELEMENT_NODE }
    var isText: Bool {
        pointer.pointee.type == XML_TEXT_NODE || pointer.pointee.type == XML_CDATA_SECTION_NODE
    }

    /// The element's local name as libxml2 stores it (lowercase for HTML).
    var name: String {
        pointer.pointee.name.map { String(cString: $0) } ?? ""
    }

    var firstChild: MarkupNode? { pointer.pointee.children.map(MarkupNode.init) }
    var nextSibling: MarkupNode? { pointer.pointee.next.map(MarkupNode.init) }

    /// The text of a text or CDATA node as UTF-8 bytes (libxml2 stores UTF-8).
    var textBytes: UnsafeBufferPointer<UInt8> {
        guard let content = pointer.pointee.content else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: content, count: Int(xmlStrlen(content)))
    }

    /// The value of attribute `name` (compared case-sensitively; HTML attribute names are
    /// lowercase in libxml2's tree), or nil when absent.
    func attribute(_ name: String) -> String? {
        var attr = pointer.pointee.properties
        while let a = attr {
            if let n = a.pointee.name, String(cString: n) == name {
                var value: [UInt8] = []
                var child = a.pointee.children
                while let c = child {
                    if let content = c.pointee.content {
                        value.append(contentsOf: UnsafeBufferPointer(start: content, count: Int(xmlStrlen(content))))
                    }
                    child = c.pointee.next
                }
                return String(decoding: value, as: UTF8.self)
            }
            attr = a.pointee.next
        }
        return nil
    }

    /// Calls `body(name, value)` for each attribute, in order; stops when it returns false.
    /// The name is libxml2's (lowercase for HTML); the value is read only on demand.
    func forEachAttribute(_ body: (UnsafePointer<UInt8>, () -> [UInt8]) -> Bool) {
        var attr = pointer.pointee.properties
        while let a = attr {
            if let n = a.pointee.name {
                let value = {
                    var value: [UInt8] = []
                    var child = a.pointee.children
                    while let c = child {
                        if let content = c.pointee.content {
                            value.append(contentsOf: UnsafeBufferPointer(start: content, count: Int(xmlStrlen(content))))
                        }
                        child = c.pointee.next
                    }
                    return value
                }
                if !body(n, value) { return }
            }
            attr = a.pointee.next
        }
    }

    /// Whether the element's name is `literal` (lowercase ASCII).
    func isNamed(_ literal: StaticString) -> Bool {
        guard let name = pointer.pointee.name else { return false }
        return Self.equals(name, literal)
    }

    /// Whether attribute `name` is present with value `literal`, ignoring ASCII case.
    func hasAttribute(_ name: StaticString, equalTo literal: StaticString) -> Bool {
        var found = false
        forEachAttribute { n, value in
            guard Self.equals(n, name) else { return true }
            found = Self.equalsIgnoringCase(value()[...], literal)
            return false
        }
        return found
    }

    /// Whether the NUL-terminated `name` equals `literal` (ASCII).
    static func equals(_ name: UnsafePointer<UInt8>, _ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        let bytes = literal.utf8Start
        for i in 0..<count where name[i] != bytes[i] { return false }
        return name[count] == 0
    }

    /// Whether `bytes` equals `literal` (ASCII), ignoring ASCII case.
    static func equalsIgnoringCase(_ bytes: ArraySlice<UInt8>, _ literal: StaticString) -> Bool {
        guard bytes.count == literal.utf8CodeUnitCount else { return false }
        let lit = literal.utf8Start
        for (i, b) in bytes.enumerated() {
            let lower = (b >= 0x41 && b <= 0x5A) ? b + 0x20 : b
            if lower != lit[i] { return false }
        }
        return true
    }

    /// The element's children, in order.
    var children: MarkupChildren { MarkupChildren(first: firstChild) }

    /// All text below this node, concatenated in document order.
    var textContent: String {
        var bytes: [UInt8] = []
        appendText(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private func appendText(to bytes: inout [UInt8]) {
        if isText {
            bytes.append(contentsOf: textBytes)
            return
        }
        for child in children { child.appendText(to: &bytes) }
    }
}

/// The children of a `MarkupNode` as a sequence.
struct MarkupChildren: Sequence, IteratorProtocol {
    var first: MarkupNode?

    mutating func next() -> MarkupNode? {
        let current = first
        first = current?.nextSibling
        return current
    }
}
