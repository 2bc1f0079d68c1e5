/// A node of a parsed expression with the range of text it came from (0-based Unicode-scalar
/// `offset` and `length` into the expression source).
struct ExpressionNode: Sendable {
    indirect enum Kind: Sendable {
        case literal(ExpressionValue)
        /// A top-level named value such as `steps` (looked up ignoring case).
        case context(String)
        /// `base.name` (key is a string literal node) or `base[key]`.
        case index(ExpressionNode, key: ExpressionNode)
        /// `base.*` or `base[*]`: GitHub's object filter.
        case filter(ExpressionNode)
        /// `( inner )`.
        case group(ExpressionNode)
        case not(ExpressionNode)
        case compare(ComparisonOperator, ExpressionNode, ExpressionNode)
        /// `a && b && …`: the first falsy operand, else the last.
        case and([ExpressionNode])
        /// `a || b || …`: the first truthy operand, else the last.
        case or([ExpressionNode])
        case call(ExpressionFunction, [ExpressionNode])
    }

    enum ComparisonOperator: Sendable {
        case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual
    }

    var kind: Kind
    var offset: Int
    var length: Int

    var end: Int { offset + length }

    /// The context path this node reads when it is a context name followed only by properties
    /// and literal string or number indexes (groups see-through), else nil.
    var staticPath: [String]? {
        switch kind {
        case .context(let name):
            return [name]
        case .group(let inner):
            return inner.staticPath
        case .index(let base, let key):
            guard let element = key.literalPathElement, var path = base.staticPath else { return nil }
            path.append(element)
            return path
        default:
            return nil
        }
    }

    /// A string or number literal as a path element (numbers as GitHub prints them).
    private var literalPathElement: String? {
        switch kind {
        case .literal(.string(let s)): s
        case .literal(.number(let n)): ExpressionValue.gitHubNumberText(n)
        default: nil
        }
    }

    /// Appends every maximal static context path under this node to `references`.
    func collectReferences(into references: inout [ExpressionReference]) {
        if let path = staticPath {
            references.append(ExpressionReference(path: path, offset: offset, length: length))
            return
        }
        switch kind {
        case .literal, .context:
            break
        case .index(let base, let key):
            base.collectReferences(into: &references)
            key.collectReferences(into: &references)
        case .filter(let base), .group(let base), .not(let base):
            base.collectReferences(into: &references)
        case .compare(_, let lhs, let rhs):
            lhs.collectReferences(into: &references)
            rhs.collectReferences(into: &references)
        case .and(let items), .or(let items), .call(_, let items):
            for item in items { item.collectReferences(into: &references) }
        }
    }
}
