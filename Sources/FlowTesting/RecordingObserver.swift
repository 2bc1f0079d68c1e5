public import FlowCore
import Synchronization

/// An observer that keeps every event, for assertions.
public final class RecordingObserver: RunObserver, Sendable {
    private let store = Mutex<[RunEvent]>([])

    public init() {}

    public func handle(_ event: RunEvent) {
        store.withLock { $0.append(event) }
    }

    public var events: [RunEvent] { store.withLock { $0 } }

    /// Final outcome per step run id, from `stepFinished` events.
    public var outcomes: [StepID: StepOutcome] {
        var result: [StepID: StepOutcome] = [:]
        for case .stepFinished(let id, let outcome, _, _, _, _) in events { result[id] = outcome }
        return result
    }

    /// Outputs per step run id, from `stepFinished` events.
    public var outputs: [StepID: [String: String]] {
        var result: [StepID: [String: String]] = [:]
        for case .stepFinished(let id, _, _, let outputs, _, _) in events { result[id] = outputs }
        return result
    }

    /// Step run ids in the order their first attempt started.
    public var startOrder: [StepID] {
        var seen: Set<StepID> = []
        var order: [StepID] = []
        for case .stepStarted(let id, _, _, _) in events where seen.insert(id).inserted { order.append(id) }
        return order
    }

    /// Attempts made per step run id.
    public var attempts: [StepID: Int] {
        var result: [StepID: Int] = [:]
        for case .stepFinished(let id, _, _, _, let attempts, _) in events { result[id] = attempts }
        return result
    }

    /// Log text per step run id (lines joined with newlines).
    public func log(_ id: StepID) -> [String] {
        events.compactMap { event in
            if case .stepOutput(id, _, _, let bytes, _, _) = event { return String(decoding: bytes, as: UTF8.self) }
            return nil
        }
    }
}
