public import FlowCore

/// Forwards every event to several observers, in order.
public struct ObserverGroup: RunObserver {
    public var observers: [any RunObserver]

    public init(_ observers: [any RunObserver]) {
        self.observers = observers
    }

    public func handle(_ event: RunEvent) {
        for observer in observers { observer.handle(event) }
    }
}
