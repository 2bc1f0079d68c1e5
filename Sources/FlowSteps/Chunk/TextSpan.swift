/// One chunk's place in its document: Unicode scalar offsets, `start < end`.
public struct TextSpan: Sendable, Hashable, CustomStringConvertible {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    public var description: String { "\(start)..<\(end)" }
}
