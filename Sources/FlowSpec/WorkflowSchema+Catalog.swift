public import FlowCore
import Foundation

extension WorkflowSchema {
    /// The schema with `with:` described per step kind of `catalog`: for each kind, an
    /// `if`/`then` on `uses` gives its inputs (types, summaries, required ones) and rejects
    /// unknown ones, so editors complete and check `with:` too. A string holding `${{` is
    /// accepted for any input, as the loader accepts it.
    ///
    /// The text is `json` re-serialised (keys sorted, two-space indentation), so it is not
    /// byte-identical to `docs/flow.schema.json`; with an empty catalog it says the same.
    public static func json(catalog: StepKindCatalog) -> String {
        guard var root = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
            var defs = root["$defs"] as? [String: Any], var step = defs["step"] as? [String: Any]
        else { return json }
        defs["template"] = [
            "type": "string", "pattern": "\\$\\{\\{",
            "description": "A string holding ${{ }}, checked after substitution when the step runs.",
        ]
        var cases: [[String: Any]] = []
        for name in catalog.names {
            guard let kind = catalog[name] else { continue }
            var properties: [String: Any] = [:]
            for input in kind.inputs {
                var schema = inputSchema(input.type)
                schema["description"] = input.summary
                if let value = input.defaultValue { schema["default"] = jsonObject(value) }
                properties[input.name] = schema
            }
            var with: [String: Any] = [
                "type": "object", "additionalProperties": false, "properties": properties,
                "description": kind.summary,
            ]
            let required = kind.inputs.filter(\.required).map(\.name)
            if !required.isEmpty { with["required"] = required }
            var then: [String: Any] = ["properties": ["with": with]]
            if !required.isEmpty { then["required"] = ["with"] }
            cases.append([
                "if": ["properties": ["uses": ["const": name]], "required": ["uses"]],
                "then": then,
            ])
        }
        if !cases.isEmpty { step["allOf"] = cases }
        if var properties = step["properties"] as? [String: Any], var uses = properties["uses"] as? [String: Any],
            !catalog.names.isEmpty
        {
            uses["examples"] = catalog.names
            properties["uses"] = uses
            step["properties"] = properties
        }
        defs["step"] = step
        root["$defs"] = defs
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: root, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return json }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// The JSON Schema of one input type, a `${{ }}` string allowed in place of any value.
    private static func inputSchema(_ type: StepKindSpec.InputType) -> [String: Any] {
        let template: [String: Any] = ["$ref": "#/$defs/template"]
        func orTemplate(_ schema: [String: Any]) -> [String: Any] { ["anyOf": [schema, template]] }
        switch type {
        case .string: return ["type": "string"]
        case .int: return orTemplate(["type": "integer"])
        case .number: return orTemplate(["type": "number"])
        case .bool: return orTemplate(["type": "boolean"])
        case .duration: return orTemplate(["$ref": "#/$defs/duration"])
        case .list(let element): return orTemplate(["type": "array", "items": inputSchema(element)])
        case .map(let element): return orTemplate(["type": "object", "additionalProperties": inputSchema(element)])
        case .oneOf(let values): return orTemplate(["enum": values])
        case .any: return [:]
        }
    }

    private static func jsonObject(_ value: ExpressionValue) -> Any {
        switch value {
        case .null: return NSNull()
        case .bool(let b): return b
        case .number(let d): return d == d.rounded() && abs(d) < 1e15 ? Int(d) as Any : d as Any
        case .string(let s): return s
        case .array(let items): return items.map(jsonObject)
        case .object(let object): return object.mapValues(jsonObject)
        }
    }
}
