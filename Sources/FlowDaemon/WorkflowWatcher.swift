import Dispatch
import Foundation
import Glibc
import Logging
import ServiceLifecycle

/// Watches the workflow folders with inotify(7) and calls `onChange` after each burst of
/// changes — no polling. Also watches each folder's parent, so a folder created, removed or
/// renamed after the daemon started is picked up.
///
/// A burst (an editor's write-then-rename, a `git checkout`) is collected for `settle` before
/// `onChange` runs; changes during `onChange` cause one more call.
final class WorkflowWatcher: Service, Sendable {
    let folders: [String]
    let clock: any Clock<Duration>
    let settle: Duration
    let onChange: @Sendable () async -> Void
    let logger: Logger

    /// - Parameter folders: absolute paths of the folders to watch (they need not exist yet).
    init(
        folders: [String], clock: any Clock<Duration>, settle: Duration = .milliseconds(100), logger: Logger,
        onChange: @escaping @Sendable () async -> Void
    ) {
        self.folders = folders
        self.clock = clock
        self.settle = settle
        self.logger = logger
        self.onChange = onChange
    }

    /// Runs until graceful shutdown or cancellation.
    /// - Throws: `WatchError` when inotify cannot be set up.
    func run() async throws {
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { throw WatchError(message: "inotify_init1 failed: \(String(cString: strerror(errno)))") }
        let (signals, signal) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: DispatchQueue(label: "flow.inotify"))
        source.setEventHandler {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while buffer.withUnsafeMutableBytes({ read(fd, $0.baseAddress, $0.count) }) > 0 {}
            signal.yield()
        }
        source.setCancelHandler {
            close(fd)
            signal.finish()
        }
        addWatches(fd)
        source.activate()
        defer { source.cancel() }
        for await _ in signals.cancelOnGracefulShutdown() {
            try? await clock.sleep(for: settle)
            addWatches(fd)
            await onChange()
        }
    }

    /// (Re-)adds a watch on every folder and its parent; adding a path that is already watched
    /// is harmless (inotify returns the same watch).
    private func addWatches(_ fd: Int32) {
        let contents = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE | IN_DELETE_SELF | IN_MOVE_SELF)
        let directories = UInt32(IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM | IN_ONLYDIR)
        for folder in folders {
            let parent = (folder as NSString).deletingLastPathComponent
            if inotify_add_watch(fd, parent, directories) < 0 && errno != ENOENT {
                logger.warning("cannot watch \(parent): \(String(cString: strerror(errno)))")
            }
            _ = inotify_add_watch(fd, folder, contents | UInt32(IN_ONLYDIR))
        }
    }
}

/// inotify could not be set up.
struct WatchError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
