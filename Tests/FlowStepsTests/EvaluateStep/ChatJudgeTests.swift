import FlowCore
import FlowEngine
import Foundation
import Testing

@testable import FlowSteps

@Suite("LLM judge and generation metrics")
struct ChatJudgeTests {
    /// An OpenAI-compatible chat server on 127.0.0.1 for the tests: it answers every
    /// `POST …/chat/completions` with a score taken from `[grade N]` in the user message, in a
    /// different format per score, and appends each request's headers and body to
    /// `<folder>/requests.jsonl`.
    static let fakeServer = #"""
        import json, re, sys
        from http.server import BaseHTTPRequestHandler, HTTPServer
        port, folder = int(sys.argv[1]), sys.argv[2]
        REPLIES = {5: '{"score": 5, "reason": "complete"}', 4: "**Score:** 4/5 - minor gap",
                   3: "Reasoning first.\nScore: 3", 1: "1"}
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with open(folder + "/requests.jsonl", "a") as log:
                    log.write(json.dumps({"path": self.path, "authorization": self.headers.get("Authorization"),
                                          "body": body}) + "\n")
                user = [m["content"] for m in body["messages"] if m["role"] == "user"][0]
                grade = int(re.search(r"\[grade (\d)\]", user).group(1))
                answer = {"choices": [{"index": 0, "message": {"role": "assistant", "content": REPLIES[grade]}}]}
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            def log_message(self, *args):
                pass
        HTTPServer(("127.0.0.1", port), Handler).serve_forever()
        """#

    @Test(
        "scores are read from JSON, from 'score: N' and from a bare number",
        arguments: [
            (#"{"score": 4, "reason": "ok"}"#, 4.0, "ok"),
            ("```json\n{\"score\": \"2\"}\n```", 2, nil),
            ("The answer misses one fact.\nScore: 3", 3, nil),
            ("**Score:** 4/5", 4, nil),
            ("SCORE = 2.5.", 2.5, nil),
            (" 5\n", 5, nil),
        ] as [(String, Double, String?)])
    func parse(_ reply: String, _ score: Double, _ reason: String?) {
        #expect(ChatJudge.parseScore(reply) == JudgeVerdict(score: score, reason: reason))
    }

    @Test("replies without a score give none", arguments: ["I cannot grade this.", "score: high", "{\"grade\": 4}", ""])
    func noScore(_ reply: String) {
        #expect(ChatJudge.parseScore(reply) == nil)
    }

    @Test("evaluate grades generations through a chat server on 127.0.0.1; BLEU and ROUGE-L of exact answers are perfect")
    func judgeThroughFakeServer() async throws {
        let folder = try EvaluateStepSupport.temporaryFolder("judge")
        let script = folder + "/fake_chat.py"
        try EvaluateStepSupport.write(Self.fakeServer, to: script)
        let server = try LoopbackServer.python(script: script)
        defer { server.stop() }
        // Predictions equal their references: every n-gram matches and the lengths are equal,
        // so BLEU = 100 and ROUGE-L F = 1 (hand calculation).
        let generations = """
            {"id": "a", "question": "What does flow record? [grade 5]", "prediction": "Every run, step and attempt.", "reference": "Every run, step and attempt."}
            {"id": "b", "question": "Which store is embedded? [grade 4]", "prediction": "A SQLite file.", "references": ["A SQLite file."]}
            {"id": "c", "question": "What splits chunks? [grade 3]", "prediction": "Headings, then paragraphs.", "reference": "Headings, then paragraphs."}
            """
        try EvaluateStepSupport.write(generations, to: folder + "/generations.jsonl")
        let outputs = try await EvaluateExecutor().execute(
            EvaluateStepSupport.invocation(
                [
                    "generations": .string("generations.jsonl"),
                    "judge": .object([
                        "model": .string("judge-model"), "base_url": .string(server.base + "/v1"), "api_key": .string("test-key"),
                    ]),
                    "thresholds": .object(["judge": .number(3.5), "rouge_l": .number(1)]),
                ], folder: folder))
        #expect(outputs["judge"] == "4.0000")  // (5 + 4 + 3) / 3
        #expect(outputs["bleu"] == "100.0000")
        #expect(outputs["rouge_l"] == "1.0000")

        let requests = try String(contentsOfFile: server.folder + "/requests.jsonl", encoding: .utf8)
            .split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(requests.count == 3)
        for request in requests {
            #expect(request["path"] as? String == "/v1/chat/completions")
            #expect(request["authorization"] as? String == "Bearer test-key")
            let body = request["body"] as! [String: Any]
            #expect(body["model"] as? String == "judge-model")
            #expect(body["temperature"] as? Double == 0)
            let messages = body["messages"] as! [[String: String]]
            #expect(messages.map { $0["role"]! } == ["system", "user"])
            #expect(messages[0]["content"]!.contains("from 1 (worst) to 5 (best)"))
            #expect(messages[1]["content"]!.contains("Answer to grade:\n"))
        }

        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: outputs["report"]!))) as! [String: Any]
        let judge = (report["generation"] as! [String: Any])["judge"] as! [String: Any]
        #expect(judge["scores"] as? [Double] == [5, 4, 3])
        #expect(judge["reasons"] as? [String] == ["complete", "", ""])
    }

    @Test("a judge score below its threshold fails the step")
    func judgeThreshold() async throws {
        let folder = try EvaluateStepSupport.temporaryFolder("judge")
        let script = folder + "/fake_chat.py"
        try EvaluateStepSupport.write(Self.fakeServer, to: script)
        let server = try LoopbackServer.python(script: script)
        defer { server.stop() }
        try EvaluateStepSupport.write(
            #"{"question": "q [grade 1]", "prediction": "no", "reference": "yes"}"#, to: folder + "/generations.jsonl")
        await #expect {
            _ = try await EvaluateExecutor().execute(
                EvaluateStepSupport.invocation(
                    [
                        "generations": .string("generations.jsonl"),
                        "judge": .object(["model": .string("m"), "base_url": .string(server.base + "/v1")]),
                        "thresholds": .object(["judge": .number(2)]),
                    ], folder: folder))
        } throws: { error in
            (error as? StepFailure)?.message == "evaluate: judge = 1.0000 is below the threshold 2.0"
        }
    }

    /// Needs a chat model named in FLOW_JUDGE_MODEL: the server CI starts at OPENAI_BASE_URL
    /// (scripts/ci/embedding-server.py) serves embeddings only.
    @Test("a live OpenAI-compatible judge grades an exact answer highly (when OPENAI_BASE_URL and FLOW_JUDGE_MODEL are set)")
    func liveJudge() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let base = environment["OPENAI_BASE_URL"], !base.isEmpty, let url = URL(string: base),
            let model = environment["FLOW_JUDGE_MODEL"], !model.isEmpty
        else {
            print("not run: live LLM judge (OPENAI_BASE_URL and FLOW_JUDGE_MODEL are not both set)")
            return
        }
        let judge = ChatJudge(baseURL: url, model: model, apiKey: environment["OPENAI_API_KEY"])
        let verdict = try await judge.grade(
            GenerationExample(id: "live", question: "What is 2 + 2?", prediction: "4", references: ["2 + 2 = 4"]))
        #expect((1...5).contains(verdict.score))
        #expect(verdict.score >= 4)
    }
}
