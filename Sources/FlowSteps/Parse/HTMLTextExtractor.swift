/// The readable text of an HTML page, walked from libxml2's HTML parser tree (never pattern
/// matching on markup). The rules, documented in `docs/steps/parse.md`:
///
/// - Only the page's main content is read when it marks one (`<main>` or `role="main"`);
///   otherwise the whole `<body>`.
/// - Dropped with everything inside: `script style noscript template nav header footer aside
///   svg math iframe object embed canvas button select textarea`; elements with
///   `role` `navigation`, `search`, `banner`, `contentinfo` or `complementary`; elements with
///   the `hidden` attribute or `aria-hidden="true"`; and Sphinx's boilerplate — classes
///   `sphinxsidebar`, `related`, `footer`, `headerlink`, `mobile-nav` and id `sidebarbutton`.
///   Exception: an `aside` with class `footnote` or `footnote-list` (docutils footnotes) is
///   content and kept.
/// - Kept in document order: headings as Markdown-style lines (`## Basic Usage`, also listed
///   with their offsets), paragraphs separated by blank lines, list items as `- ` / `1. `
///   lines (indented two spaces per nesting level), `<pre>` blocks verbatim between ```
///   fences, table rows as lines with cells separated by ` | ` (a cell holding lists or
///   paragraphs — a layout table — reads as blocks instead), `<br>` as a line break.
///   Other text has runs of whitespace collapsed to one space.
/// - The title is `<title>`'s text (whitespace collapsed), else the first heading's.
enum HTMLTextExtractor {
    /// Extracts title, text and headings from `bytes`; nil when libxml2 produces no tree.
    static func extract(_ bytes: [UInt8], encoding: String? = nil) -> ExtractedText? {
        let result: ExtractedText?? = MarkupTree.withHTML(bytes, encoding: encoding) { tree in
            guard let root = tree.root else { return nil }
            var walk = TextWalk()
            let roots = Self.mainContent(root)
            if roots.isEmpty {
                walk.visit(Self.body(root) ?? root)
            } else {
                for node in roots {
                    walk.visit(node)
                    walk.blockBreak(2)
                }
            }
            let textBytes = walk.writer.finish()
            let text = String(decoding: textBytes, as: UTF8.self)
            var title = Self.title(root).map(Self.collapse) ?? ""
            if title.isEmpty { title = walk.headings.first?.text ?? "" }
            return ExtractedText(title: title, text: text, headings: walk.headings, pages: nil)
        }
        return result ?? nil
    }

    /// `<main>` elements and elements with `role="main"` (outermost only), in order.
    static func mainContent(_ root: MarkupNode) -> [MarkupNode] {
        var found: [MarkupNode] = []
        func search(_ node: MarkupNode) {
            for child in node.children where child.isElement {
                if child.isNamed("main") || child.hasAttribute("role", equalTo: "main") {
                    found.append(child)
                } else {
                    search(child)
                }
            }
        }
        search(root)
        return found
    }

    static func body(_ root: MarkupNode) -> MarkupNode? {
        root.children.first { $0.isElement && $0.isNamed("body") }
    }

    static func title(_ root: MarkupNode) -> String? {
        for child in root.children where child.isElement && child.isNamed("head") {
            for element in child.children where element.isElement && element.isNamed("title") {
                return element.textContent
            }
        }
        return nil
    }

    /// `text` with runs of whitespace collapsed to one space and trimmed.
    static func collapse(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" || $0 == "\u{0C}" })
            .joined(separator: " ")
    }

    static let droppedRoles: [StaticString] = ["navigation", "search", "banner", "contentinfo", "complementary"]
    static let droppedClasses: [StaticString] = ["sphinxsidebar", "related", "footer", "headerlink", "mobile-nav"]
    /// `aside` elements kept: docutils/Sphinx footnotes are content.
    static let keptAsideClasses: [StaticString] = ["footnote", "footnote-list"]

    /// Whether `node`, an element of `kind`, is boilerplate to skip with its subtree.
    static func isDropped(_ node: MarkupNode, kind: HTMLElementKind) -> Bool {
        if kind == .dropped { return true }
        var dropped = kind == .aside
        node.forEachAttribute { name, value in
            if MarkupNode.equals(name, "hidden") {
                dropped = true
            } else if MarkupNode.equals(name, "role") {
                let v = value()
                if droppedRoles.contains(where: { MarkupNode.equalsIgnoringCase(v[...], $0) }) { dropped = true }
            } else if MarkupNode.equals(name, "class") {
                let tokens = value().split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D })
                for token in tokens {
                    if droppedClasses.contains(where: { MarkupNode.equalsIgnoringCase(token, $0) }) { dropped = true }
                    if kind == .aside, keptAsideClasses.contains(where: { MarkupNode.equalsIgnoringCase(token, $0) }) {
                        dropped = false
                        return false
                    }
                }
            } else if MarkupNode.equals(name, "id") {
                if MarkupNode.equalsIgnoringCase(value()[...], "sidebarbutton") { dropped = true }
            } else if MarkupNode.equals(name, "aria-hidden") {
                if MarkupNode.equalsIgnoringCase(value()[...], "true") { dropped = true }
            }
            return kind == .aside || !dropped
        }
        return dropped
    }
}

/// One walk over an HTML tree, writing text as `HTMLTextExtractor` documents.
private struct TextWalk {
    var writer = PlainTextWriter()
    var headings: [DocumentHeading] = []
    let kinds = HTMLElementKinds()
    /// Open lists: whether ordered, and the next item number.
    var lists: [(ordered: Bool, next: Int)] = []
    /// Table cells we are inside (breaks become spaces there).
    var cellDepth = 0
    /// Cells seen so far in each open table row.
    var rowCells: [Int] = []

    mutating func blockBreak(_ kind: Int) {
        if cellDepth > 0 {
            writer.requestSpace()
        } else {
            writer.requestBreak(kind)
        }
    }

    mutating func visitChildren(_ node: MarkupNode) {
        for child in node.children { visit(child) }
    }

    mutating func visit(_ node: MarkupNode) {
        if node.isText {
            writer.inline(node.textBytes)
            return
        }
        guard node.isElement else { return }
        let kind = kinds.kind(of: node)
        if HTMLTextExtractor.isDropped(node, kind: kind) { return }
        switch kind {
        case .heading(let level):
            heading(node, level: level)
        case .pre:
            preformatted(node)
        case .list(let ordered):
            blockBreak(lists.isEmpty ? 2 : 1)
            lists.append((ordered, ordered ? Int(node.attribute("start") ?? "") ?? 1 : 1))
            visitChildren(node)
            lists.removeLast()
            blockBreak(lists.isEmpty ? 2 : 1)
        case .item:
            blockBreak(1)
            if cellDepth == 0 {
                let indent = String(repeating: "  ", count: max(lists.count - 1, 0))
                if let last = lists.indices.last, lists[last].ordered {
                    writer.setPrefix(indent + "\(lists[last].next). ")
                    lists[last].next += 1
                } else {
                    writer.setPrefix(indent + "- ")
                }
            }
            visitChildren(node)
            if writer.hasPendingPrefix { writer.clearPrefix() }
            blockBreak(1)
        case .term:
            blockBreak(2)
            visitChildren(node)
            blockBreak(1)
        case .row:
            blockBreak(1)
            rowCells.append(0)
            visitChildren(node)
            rowCells.removeLast()
            blockBreak(1)
        case .cell:
            cell(node)
        case .lineBreak:
            blockBreak(1)
        case .rule:
            blockBreak(2)
        case .paragraph, .aside:
            blockBreak(2)
            visitChildren(node)
            blockBreak(2)
        case .line:
            blockBreak(1)
            visitChildren(node)
            blockBreak(1)
        case .inline, .dropped:
            visitChildren(node)
        }
    }

    mutating func cell(_ node: MarkupNode) {
        let layout = node.children.contains { $0.isElement && kinds.kind(of: $0).isBlockContainer }
        if layout {
            // A layout cell (lists, paragraphs inside): its content reads as blocks.
            blockBreak(2)
            visitChildren(node)
            blockBreak(2)
            return
        }
        if let last = rowCells.indices.last {
            if rowCells[last] > 0, cellDepth == 0 {
                writer.requestSpace()
                let bar: [UInt8] = [UInt8(ascii: "|")]
                bar.withUnsafeBufferPointer { writer.inline($0) }
                writer.requestSpace()
            }
            rowCells[last] += 1
        }
        cellDepth += 1
        visitChildren(node)
        cellDepth -= 1
    }

    mutating func heading(_ node: MarkupNode, level: Int) {
        guard cellDepth == 0 else {
            visitChildren(node)
            return
        }
        blockBreak(2)
        writer.setPrefix(String(repeating: "#", count: level) + " ")
        writer.resetPrefixStart()
        visitChildren(node)
        if let start = writer.prefixStart {
            let text = String(decoding: writer.bytes[writer.prefixEnd...], as: UTF8.self)
            headings.append(DocumentHeading(level: level, text: text, offset: start))
        } else {
            writer.clearPrefix()
        }
        blockBreak(2)
    }

    mutating func preformatted(_ node: MarkupNode) {
        var raw: [UInt8] = []
        appendRaw(node, to: &raw)
        // HTML drops one newline right after <pre>'s start tag; trailing blank lines go too.
        if raw.first == 0x0A { raw.removeFirst() }
        while let last = raw.last, last == 0x0A || last == 0x20 || last == 0x09 || last == 0x0D { raw.removeLast() }
        guard !raw.isEmpty else { return }
        if cellDepth > 0 {
            raw.withUnsafeBufferPointer { writer.inline($0) }
            return
        }
        blockBreak(2)
        writer.verbatim(Array("```\n".utf8) + raw + Array("\n```".utf8))
        blockBreak(2)
    }

    /// The text below `node` without whitespace collapsing; dropped elements skipped,
    /// `<br>` as a newline.
    mutating func appendRaw(_ node: MarkupNode, to raw: inout [UInt8]) {
        for child in node.children {
            if child.isText {
                raw.append(contentsOf: child.textBytes)
            } else if child.isElement {
                let kind = kinds.kind(of: child)
                if kind == .lineBreak {
                    raw.append(0x0A)
                } else if !HTMLTextExtractor.isDropped(child, kind: kind) {
                    appendRaw(child, to: &raw)
                }
            }
        }
    }
}
