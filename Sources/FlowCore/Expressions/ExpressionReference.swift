/// A context path an expression reads, such as `steps.build.outputs.digest`, and where it is.
///
/// `path` starts with the context name and holds each property or literal index as written
/// (`matrix.os` → `["matrix", "os"]`, `steps['build'].outputs[0]` → `["steps", "build",
/// "outputs", "0"]`, numbers as GitHub prints them). The path stops before a dynamic index
/// (`matrix[params.key]`, whose own references are listed separately) and before an object filter
/// (`labels.*.name` → `[…, "labels"]`). Lookups are case-insensitive, as GitHub's are, so a
/// validator should compare names ignoring ASCII case.
///
/// `offset` and `length` are 0-based Unicode-scalar positions of the whole path text (from the
/// context name to the end of the last element, closing `]` included) in the parsed text: the
/// expression source for `Expression.references`, the whole template for `Template.references`.
public struct ExpressionReference: Sendable, Hashable {
    public var path: [String]
    public var offset: Int
    public var length: Int

    public init(path: [String], offset: Int, length: Int) {
        self.path = path
        self.offset = offset
        self.length = length
    }
}
