/// The URLs of a sitemap (sitemaps.org protocol 0.9): `<urlset>` lists pages in
/// `<url><loc>`, `<sitemapindex>` lists further sitemaps in `<sitemap><loc>`. Read with
/// libxml2's XML parser; namespaces and other elements are ignored.
enum SitemapReader {
    struct Contents: Sendable, Equatable {
        var pages: [String] = []
        var sitemaps: [String] = []
    }

    /// The locations listed in `bytes`, in order; nil when it is not a sitemap (no `urlset`
    /// or `sitemapindex` root).
    static func read(_ bytes: [UInt8]) -> Contents? {
        let result: Contents?? = MarkupTree.withXML(bytes) { tree in
            guard let root = tree.root else { return nil }
            let isIndex: Bool
            if root.isNamed("urlset") {
                isIndex = false
            } else if root.isNamed("sitemapindex") {
                isIndex = true
            } else {
                return nil
            }
            var contents = Contents()
            for entry in root.children where entry.isElement && (entry.isNamed("url") || entry.isNamed("sitemap")) {
                for field in entry.children where field.isElement && field.isNamed("loc") {
                    let loc = field.textContent.filter { !$0.isWhitespace }
                    guard !loc.isEmpty else { continue }
                    if isIndex { contents.sitemaps.append(loc) } else { contents.pages.append(loc) }
                }
            }
            return contents
        }
        return result ?? nil
    }
}
