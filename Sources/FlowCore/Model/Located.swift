/// A value together with where it was written, so later checks (unknown `needs`, cycles, bad
/// references) can point at the exact place. `location` is nil for values built in code.
public struct Located<Value>: CustomStringConvertible {
    public var value: Value
    public var location: SourceLocation?

    public init(_ value: Value, at location: SourceLocation? = nil) {
        self.value = value
        self.location = location
    }

    public var description: String { "\(value)" }
}

extension Located: Sendable where Value: Sendable {}
extension Located: Equatable where Value: Equatable {
    /// Locations do not take part in equality: two workflows that say the same thing are equal.
    public static func == (lhs: Located, rhs: Located) -> Bool { lhs.value == rhs.value }
}
extension Located: Hashable where Value: Hashable {
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }
}
