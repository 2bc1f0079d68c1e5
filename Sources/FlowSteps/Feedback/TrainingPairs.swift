import FlowCore
import Foundation

/// Feedback events → fine-tuning examples for an embedding model, one per query:
/// `{"query": "…", "pos": ["clicked passage", …], "neg": ["shown, not clicked", …]}` — the
/// layout FlagEmbedding's fine-tuning reads (`{"query": str, "pos": List[str], "neg":
/// List[str]}`, FlagEmbedding examples/finetune) and sentence-transformers can load as columns.
///
/// Events with the same query text (white space trimmed) are merged, in order of first
/// appearance: positives are the passages clicked in any of them (first click first); hard
/// negatives are the passages shown in any of them but never clicked for that query, in the
/// order first shown, at most `maxNegatives`. A query with no click gives no example.
public enum TrainingPairs {
    /// One training example.
    public struct Example: Sendable, Hashable {
        public var query: String
        /// Passage texts.
        public var positives: [String]
        public var negatives: [String]
    }

    /// What `build` could not use.
    public struct Skipped: Sendable, Hashable {
        /// Queries (after merging) without any click.
        public var unclicked: Int
        /// Events whose rating was below the minimum.
        public var lowRated: Int
        /// Passages whose text was neither in the event nor in the passages file.
        public var unknownPassages: Int
    }

    /// Builds the examples.
    /// - Parameters:
    ///   - texts: passage id → text, for passages logged by id only.
    ///   - minimumRating: events with a rating below it are left out (events without a rating
    ///     are kept).
    public static func build(
        _ events: [FeedbackEvent], texts: [String: String], maxNegatives: Int, minimumRating: Double? = nil
    ) -> (examples: [Example], skipped: Skipped) {
        var order: [String] = []
        var clickedByQuery: [String: [String]] = [:]
        var shownByQuery: [String: [String]] = [:]
        var known = texts
        var skipped = Skipped(unclicked: 0, lowRated: 0, unknownPassages: 0)
        for event in events {
            if let minimumRating, let rating = event.rating, rating < minimumRating {
                skipped.lowRated += 1
                continue
            }
            let query = event.query.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !query.isEmpty else { continue }
            if clickedByQuery[query] == nil {
                order.append(query)
                clickedByQuery[query] = []
                shownByQuery[query] = []
            }
            for passage in event.shown {
                if let text = passage.text { known[passage.id] = text }
                if !shownByQuery[query]!.contains(passage.id) { shownByQuery[query]!.append(passage.id) }
            }
            for id in event.clickedIDs where !clickedByQuery[query]!.contains(id) { clickedByQuery[query]!.append(id) }
        }
        var examples: [Example] = []
        for query in order {
            let clicked = clickedByQuery[query]!
            let positives = clicked.compactMap { known[$0] }
            let negativeIDs = shownByQuery[query]!.filter { !clicked.contains($0) }
            var negatives: [String] = []
            for id in negativeIDs {
                guard negatives.count < maxNegatives else { break }
                if let text = known[id] { negatives.append(text) } else { skipped.unknownPassages += 1 }
            }
            skipped.unknownPassages += clicked.count - positives.count
            guard !positives.isEmpty else {
                skipped.unclicked += 1
                continue
            }
            examples.append(Example(query: query, positives: positives, negatives: negatives))
        }
        return (examples, skipped)
    }

    /// The examples as JSONL text, one `{"neg", "pos", "query"}` object per line (keys sorted).
    public static func jsonl(_ examples: [Example]) -> String {
        examples.map { e in
            JSONText.encode([
                "query": .string(e.query), "pos": .array(e.positives.map { .string($0) }), "neg": .array(e.negatives.map { .string($0) }),
            ]) + "\n"
        }.joined()
    }
}
