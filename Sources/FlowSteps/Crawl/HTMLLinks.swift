/// The links of an HTML page that a crawler follows: `href` of `<a>` and `<area>`, in
/// document order, resolved later against `<base href>` when the page has one (else the
/// page's URL). Read from libxml2's HTML parser tree.
enum HTMLLinks {
    struct Links: Sendable, Equatable {
        var base: String?
        var hrefs: [String] = []
    }

    static func extract(_ bytes: [UInt8], encoding: String? = nil) -> Links {
        let result: Links? = MarkupTree.withHTML(bytes, encoding: encoding) { tree in
            var links = Links()
            guard let root = tree.root else { return links }
            func visit(_ node: MarkupNode) {
                for child in node.children where child.isElement {
                    if child.isNamed("a") || child.isNamed("area") {
                        if let href = child.attribute("href") { links.hrefs.append(href) }
                    } else if child.isNamed("base"), links.base == nil {
                        links.base = child.attribute("href")
                    }
                    visit(child)
                }
            }
            visit(root)
            return links
        }
        return result ?? Links()
    }
}
