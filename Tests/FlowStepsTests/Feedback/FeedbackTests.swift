import FlowCore
import FlowEngine
import Foundation
import Testing

@testable import FlowSteps

@Suite("feedback events and export")
struct FeedbackTests {
    @Test("JSONL events: shown ids or objects, clicked as a list or a boolean")
    func jsonl() throws {
        let events = try FeedbackEvent.parseJSONL(
            """
            {"time": "t1", "variant": "A", "query": "q1", "shown": ["c1", {"id": "c2", "text": "two"}], "clicked": ["c2"], "rating": 5}

            {"variant": "B", "query": "q2", "clicked": true}
            {"query": "q3", "clicked": 0}
            """)
        #expect(events.count == 3)
        #expect(events[0].shown == [.init(id: "c1"), .init(id: "c2", text: "two")])
        #expect(events[0].clickedIDs == ["c2"] && events[0].clicked && events[0].rating == 5 && events[0].line == 1)
        #expect(events[1].clicked && events[1].clickedIDs.isEmpty && events[1].line == 3)
        #expect(!events[2].clicked && events[2].variant == nil)
    }

    @Test(
        "malformed events name their line",
        arguments: [
            ("{\"variant\": \"A\"}", 1), ("{\"query\": \"q\"}\n{\"query\": \"q\", \"clicked\": \"yes\"}", 2), ("not json", 1),
        ])
    func malformed(_ text: String, _ line: Int) {
        #expect {
            _ = try FeedbackEvent.parseJSONL(text)
        } throws: { error in
            (error as? EvaluationError)?.line == line
        }
    }

    @Test("CSV events: header order, RFC 4180 quotes, blank ratings")
    func csv() throws {
        let events = try FeedbackEvent.parseCSV("rating,query,variant,clicked\n4,\"wing, \"\"lift\"\"\nnow\",A,yes\n,plain,B,0\n")
        #expect(events.count == 2)
        #expect(events[0].query == "wing, \"lift\"\nnow" && events[0].clicked && events[0].rating == 4 && events[0].variant == "A")
        #expect(events[1].query == "plain" && !events[1].clicked && events[1].rating == nil && events[1].line == 4)
    }

    @Test("export: clicked passages are positives, shown-but-not-clicked are hard negatives, merged per query")
    func export() async throws {
        let folder = try EvaluateStepSupport.temporaryFolder("feedback")
        try EvaluateStepSupport.write(
            """
            {"query": "how to retry", "shown": ["c1", "c2", "c3"], "clicked": ["c2"]}
            {"query": "how to retry ", "shown": ["c4", "c2", "c1"], "clicked": ["c4"], "rating": 4}
            {"query": "schedules", "shown": ["c5", {"id": "c6", "text": "cron in a time zone"}], "clicked": ["c6"]}
            {"query": "nothing useful", "shown": ["c1"], "clicked": []}
            {"query": "bad answer", "shown": ["c1", "c2"], "clicked": ["c1"], "rating": 1}
            """, to: folder + "/feedback.jsonl")
        try EvaluateStepSupport.write(
            (1...5).map { #"{"id": "c\#($0)", "document_id": "d", "text": "passage \#($0)"}"# }.joined(separator: "\n"),
            to: folder + "/chunks.jsonl")
        let outputs = try await FeedbackExportExecutor().execute(
            EvaluateStepSupport.invocation(
                ["feedback": .string("feedback.jsonl"), "passages": .string("chunks.jsonl"), "min_rating": .number(2)],
                folder: folder, step: "export"))
        // Hand-built: "how to retry" merges two events: positives c2 then c4; c1 and c3 were shown
        // and never clicked; c2 and c4 are positives, so never negatives.
        let expected = """
            {"neg":["passage 1","passage 3"],"pos":["passage 2","passage 4"],"query":"how to retry"}
            {"neg":["passage 5"],"pos":["cron in a time zone"],"query":"schedules"}

            """
        #expect(try String(contentsOfFile: outputs["pairs"]!, encoding: .utf8) == expected)
        #expect(outputs["count"] == "2" && outputs["events"] == "5")
        #expect(outputs["skipped"] == "2")  // "nothing useful" has no click; "bad answer" is rated 1
    }

    @Test("max_negatives caps the hard negatives")
    func cap() {
        let events = [
            FeedbackEvent(query: "q", shown: (1...5).map { .init(id: "c\($0)", text: "t\($0)") }, clickedIDs: ["c3"], clicked: true)
        ]
        let (examples, _) = TrainingPairs.build(events, texts: [:], maxNegatives: 2)
        #expect(examples == [TrainingPairs.Example(query: "q", positives: ["t3"], negatives: ["t1", "t2"])])
    }
}
