/// What the text walk does with an HTML element, decided once per element name.
enum HTMLElementKind: Equatable {
    /// Skipped with everything inside (`script`, `nav`, …).
    case dropped
    /// Skipped unless it is a footnote (`HTMLTextExtractor` documents the rule).
    case aside
    case heading(Int)
    case pre
    case list(ordered: Bool)
    case item
    case term
    case row
    case cell
    case lineBreak
    case rule
    /// Content preceded and followed by a blank line.
    case paragraph
    /// Content on its own lines.
    case line
    case inline

    /// Every name with a kind other than `.inline`.
    static let knownNames: [String] = [
        "script", "style", "noscript", "template", "nav", "header", "footer", "svg", "math", "iframe", "object",
        "embed", "canvas", "button", "select", "textarea", "aside", "h1", "h2", "h3", "h4", "h5", "h6", "pre",
        "ul", "menu", "ol", "li", "dt", "tr", "td", "th", "br", "hr", "p", "section", "article", "main",
        "blockquote", "figure", "table", "dl", "address", "details", "fieldset", "form", "body", "hgroup", "div",
        "dd", "figcaption", "caption", "summary", "legend", "center", "thead", "tbody", "tfoot",
    ]

    init(name: String) {
        switch name {
        case "script", "style", "noscript", "template", "nav", "header", "footer", "svg", "math", "iframe",
            "object", "embed", "canvas", "button", "select", "textarea":
            self = .dropped
        case "aside": self = .aside
        case "h1": self = .heading(1)
        case "h2": self = .heading(2)
        case "h3": self = .heading(3)
        case "h4": self = .heading(4)
        case "h5": self = .heading(5)
        case "h6": self = .heading(6)
        case "pre": self = .pre
        case "ul", "menu": self = .list(ordered: false)
        case "ol": self = .list(ordered: true)
        case "li": self = .item
        case "dt": self = .term
        case "tr": self = .row
        case "td", "th": self = .cell
        case "br": self = .lineBreak
        case "hr": self = .rule
        case "p", "section", "article", "main", "blockquote", "figure", "table", "dl", "address", "details",
            "fieldset", "form", "body", "hgroup":
            self = .paragraph
        case "div", "dd", "figcaption", "caption", "summary", "legend", "center", "thead", "tbody", "tfoot":
            self = .line
        default: self = .inline
        }
    }

    /// Whether a table cell holding this element as a child is a layout cell.
    var isBlockContainer: Bool {
        switch self {
        case .list, .paragraph, .pre, .heading: true
        case .line: true
        default: false
        }
    }
}
