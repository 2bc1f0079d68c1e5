import FlowCore
import Foundation
import Yams

extension SpecDecoder {
    static let workflowKeys = [
        "name", "description", "params", "env", "secrets", "defaults", "concurrency", "schedule", "steps",
    ]
    static let paramKeys = ["type", "required", "default", "enum", "description"]
    static let secretKeys = ["env", "file", "required"]
    static let defaultsKeys = ["timeout", "retry", "shell", "working-directory"]
    static let scheduleKeys = ["cron", "timezone", "paused", "catchup", "catchup_limit", "overlap", "jitter"]

    /// The whole workflow; `defaultName` is used when there is no `name:`.
    mutating func decodeWorkflow(_ root: Node?, defaultName: String) -> Workflow {
        var workflow = Workflow(name: WorkflowName(defaultName), file: file, steps: [])
        guard let root else {
            diagnostics.append(
                Diagnostic(
                    code: .noSteps, message: "the workflow is empty; it needs at least 'steps'",
                    at: SourceLocation(file: file, line: 1, column: 1)))
            return workflow
        }
        guard expectMapping(root, for: "the workflow") else { return workflow }
        var stepsSeen = false
        for entry in entries(of: root, allowed: Self.workflowKeys, context: "the workflow") {
            let value = entry.value
            switch entry.key {
            case "name":
                if let name = readString(value, for: "'name'") {
                    if isWorkflowName(name) {
                        workflow.name = WorkflowName(name)
                    } else {
                        report(.invalidName, "invalid workflow name '\(name)': it must match [A-Za-z0-9_.-]+", at: value)
                    }
                }
            case "description":
                workflow.description = readString(value, for: "'description'")
            case "params":
                workflow.params = decodeParams(value)
            case "env":
                workflow.env = decodeEnvironment(value, scope: .workflowEnv)
            case "secrets":
                workflow.secrets = decodeSecrets(value)
            case "defaults":
                workflow.defaults = decodeDefaults(value)
            case "concurrency":
                workflow.concurrency = readInt(value, for: "'concurrency'", minimum: 1)
            case "schedule":
                workflow.schedules = decodeSchedules(value)
            case "steps":
                stepsSeen = true
                workflow.steps = decodeSteps(value, key: entry.keyNode)
            default:
                break
            }
        }
        if !stepsSeen {
            report(.missingKey, "missing required key 'steps' in the workflow", at: root, length: 1)
        }
        if workflow.name.rawValue == defaultName, !isWorkflowName(defaultName) {
            diagnostics.append(
                Diagnostic(
                    code: .invalidName,
                    message: "the file name gives the invalid workflow name '\(defaultName)'; add a 'name:' matching [A-Za-z0-9_.-]+",
                    at: SourceLocation(file: file, line: 1, column: 1)))
        }
        return workflow
    }

    func isWorkflowName(_ name: String) -> Bool {
        !name.isEmpty
            && name.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"):
                    true
                default:
                    false
                }
            }
    }

    // MARK: params

    mutating func decodeParams(_ node: Node) -> [ParamSpec] {
        guard expectMapping(node, for: "'params'") else { return [] }
        var params: [ParamSpec] = []
        for entry in entries(of: node, allowed: nil, context: "'params'") {
            checkIdentifier(entry.key, at: entry.keyNode, what: "param name")
            if let param = decodeParam(entry) { params.append(param) }
        }
        return params
    }

    private mutating func decodeParam(_ entry: Entry) -> ParamSpec? {
        var param = ParamSpec(name: entry.key, location: location(entry.keyNode))
        if scalarValue(entry.value) == .null { return param }
        let label = "param '\(entry.key)'"
        guard expectMapping(entry.value, for: label) else { return nil }
        let fields = entries(of: entry.value, allowed: Self.paramKeys, context: label)
        var typeKnown = true
        var defaultNode: Node?
        var enumNode: Node?
        for field in fields {
            switch field.key {
            case "type":
                if let type = readParamType(field.value) { param.type = type } else { typeKnown = false }
            case "required":
                param.required = readBool(field.value, for: "'required'") ?? false
            case "description":
                param.description = readString(field.value, for: "'description'")
            case "default":
                defaultNode = field.value
            case "enum":
                enumNode = field.value
            default:
                break
            }
        }
        guard typeKnown else { return param }
        var enumTexts: [String] = []
        if let enumNode {
            if case .sequence(let items) = enumNode, !items.isEmpty {
                var allowed: [ExpressionValue] = []
                for item in items {
                    let fits =
                        param.type == .list
                        ? scalarValue(item).map { $0 != .null } ?? false : matches(item, param.type)
                    guard fits else {
                        mismatch(
                            param.type == .list ? "a scalar" : paramTypeDescription(param.type),
                            for: "an 'enum' entry of \(label)", found: item)
                        continue
                    }
                    allowed.append(expressionValue(item))
                    if case .scalar(let scalar) = item { enumTexts.append(scalar.string) }
                }
                param.allowed = allowed
            } else if case .sequence = enumNode {
                report(.invalidValue, "'enum' of \(label) is empty; list at least one value", at: enumNode)
            } else {
                mismatch("a list", for: "'enum' of \(label)", found: enumNode)
            }
        }
        if let defaultNode {
            if case .scalar(let scalar) = defaultNode, case .string(let text) = ScalarValue(scalar), text.hasTemplateOpener {
                // Evaluated when a run starts, then typed and checked against `enum` as a `-p`
                // value is (ParamResolver); here only its expressions are checked.
                param.defaultValue = .string(text)
                param.defaultIsTemplate = true
                templates.append(TemplateSite(text: text, node: defaultNode, scope: .paramDefault))
            } else if matches(defaultNode, param.type) {
                let value = expressionValue(defaultNode)
                param.defaultValue = value
                if let allowed = param.allowed, !allowed.isEmpty {
                    let values = param.type == .list ? (value.arrayValue ?? []) : [value]
                    if let outside = values.first(where: { !allowed.contains($0) }) {
                        report(
                            .invalidDefault,
                            "default \(display(outside)) of \(label) is not one of its 'enum' values: "
                                + enumTexts.joined(separator: ", "),
                            at: defaultNode)
                    }
                }
            } else {
                let expected = paramTypeDescription(param.type)
                report(
                    .invalidDefault, "default of \(label) must be \(expected), found \(describe(defaultNode))",
                    at: defaultNode, hint: typeHint(expected: expected, found: defaultNode))
            }
        }
        if param.required, defaultNode != nil {
            let node = fields.first { $0.key == "required" }?.keyNode ?? entry.keyNode
            report(
                .requiredWithDefault, "\(label) is required but has a default; 'required' has no effect",
                at: node, hint: "remove 'required: true' or the default", severity: .warning)
        }
        return param
    }

    private mutating func readParamType(_ node: Node) -> ParamSpec.Kind? {
        let aliases = [
            "integer": "int", "boolean": "bool", "float": "number", "double": "number",
            "array": "list", "str": "string", "text": "string",
        ]
        if case .scalar(let scalar) = node, ScalarValue(scalar) == .string(scalar.string),
            ParamSpec.Kind(rawValue: scalar.string) == nil, let alias = aliases[scalar.string]
        {
            report(
                .invalidValue,
                "invalid value '\(scalar.string)' for 'type': expected one of "
                    + ParamSpec.Kind.allCases.map(\.rawValue).joined(separator: ", "),
                at: node, hint: "did you mean '\(alias)'?")
            return nil
        }
        return readChoice(node, for: "'type'", as: ParamSpec.Kind.self)
    }

    /// Whether `node` is a value of param type `type`.
    func matches(_ node: Node, _ type: ParamSpec.Kind) -> Bool {
        switch (type, node) {
        case (.list, .sequence(let items)):
            return items.allSatisfy { if case .scalar = $0 { true } else { false } }
        case (.list, _):
            return false
        case (_, .scalar(let scalar)):
            switch (type, ScalarValue(scalar)) {
            case (.string, .string), (.int, .int), (.number, .int), (.number, .number), (.bool, .bool): return true
            default: return false
            }
        default:
            return false
        }
    }

    func paramTypeDescription(_ type: ParamSpec.Kind) -> String {
        switch type {
        case .string: "a string"
        case .int: "an integer"
        case .number: "a number"
        case .bool: "a boolean (true or false)"
        case .list: "a list of scalars"
        }
    }

    /// A value as it reads in a message: strings quoted, numbers without a needless ".0".
    func display(_ value: ExpressionValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let b): "\(b)"
        case .number(let d): d == d.rounded() && abs(d) < 1e15 ? "\(Int(d))" : "\(d)"
        case .string(let s): "'\(s)'"
        case .array(let items): "[" + items.map(display).joined(separator: ", ") + "]"
        case .object: "a mapping"
        }
    }

    // MARK: env

    /// `NAME: value` entries; values are scalars turned into text.
    mutating func decodeEnvironment(_ node: Node, scope: TemplateSite.Scope) -> [EnvironmentEntry] {
        guard expectMapping(node, for: "'env'") else { return [] }
        var result: [EnvironmentEntry] = []
        for entry in entries(of: node, allowed: nil, context: "'env'") {
            checkIdentifier(entry.key, at: entry.keyNode, what: "environment variable name", allowHyphen: false)
            guard let text = readScalarText(entry.value, for: "env '\(entry.key)'") else { continue }
            if text.hasTemplateOpener {
                templates.append(TemplateSite(text: text, node: entry.value, scope: scope))
            }
            result.append(EnvironmentEntry(name: entry.key, value: Located(text, at: location(entry.value))))
        }
        return result
    }

    // MARK: secrets

    mutating func decodeSecrets(_ node: Node) -> [SecretSpec] {
        var secrets: [SecretSpec] = []
        switch node {
        case .sequence(let items):
            var seen: [String: Node] = [:]
            for item in items {
                guard let name = readString(item, for: "an entry of 'secrets'") else { continue }
                if let first = seen[name] {
                    let hint = first.mark.map { "'\(name)' is first listed at line \($0.line), column \($0.column)" }
                    report(.duplicateKey, "secret '\(name)' is listed twice", at: item, hint: hint)
                    continue
                }
                seen[name] = item
                checkIdentifier(name, at: item, what: "secret name", allowHyphen: false)
                secrets.append(SecretSpec(name: name, source: .environment(name), location: location(item)))
            }
        case .mapping:
            for entry in entries(of: node, allowed: nil, context: "'secrets'") {
                checkIdentifier(entry.key, at: entry.keyNode, what: "secret name", allowHyphen: false)
                if let secret = decodeSecret(entry) { secrets.append(secret) }
            }
        default:
            mismatch("a mapping or a list of names", for: "'secrets'", found: node)
        }
        return secrets
    }

    private mutating func decodeSecret(_ entry: Entry) -> SecretSpec? {
        var secret = SecretSpec(name: entry.key, source: .environment(entry.key), location: location(entry.keyNode))
        if scalarValue(entry.value) == .null { return secret }
        let label = "secret '\(entry.key)'"
        guard expectMapping(entry.value, for: label) else { return nil }
        var sourceKey: Entry?
        for field in entries(of: entry.value, allowed: Self.secretKeys, context: label) {
            switch field.key {
            case "env", "file":
                if let previous = sourceKey {
                    report(
                        .conflictingKeys, "\(label) has both '\(previous.key)' and '\(field.key)'",
                        at: field.keyNode, hint: "a secret comes either from an environment variable or from a file")
                    continue
                }
                sourceKey = field
                guard let text = readString(field.value, for: "'\(field.key)'") else { continue }
                if field.key == "env" {
                    checkIdentifier(text, at: field.value, what: "environment variable name", allowHyphen: false)
                    secret.source = .environment(text)
                } else if text.isEmpty {
                    report(.invalidValue, "'file' of \(label) is empty; give a path", at: field.value)
                } else {
                    secret.source = .file(text)
                }
            case "required":
                secret.required = readBool(field.value, for: "'required'") ?? true
            default:
                break
            }
        }
        return secret
    }

    // MARK: defaults

    mutating func decodeDefaults(_ node: Node) -> StepDefaults {
        var defaults = StepDefaults()
        guard expectMapping(node, for: "'defaults'") else { return defaults }
        for entry in entries(of: node, allowed: Self.defaultsKeys, context: "'defaults'") {
            switch entry.key {
            case "timeout": defaults.timeout = readDuration(entry.value, for: "'timeout'")
            case "retry": defaults.retry = decodeRetry(entry.value)
            case "shell": defaults.shell = readShell(entry.value)
            case "working-directory": defaults.workingDirectory = readString(entry.value, for: "'working-directory'")
            default: break
            }
        }
        return defaults
    }

    mutating func readShell(_ node: Node) -> String? {
        guard let shell = readString(node, for: "'shell'") else { return nil }
        if shell.allSatisfy(\.isWhitespace) {
            report(.invalidValue, "'shell' is empty; give a shell such as 'bash' or a command with {0}", at: node)
            return nil
        }
        return shell
    }

    // MARK: schedule

    mutating func decodeSchedules(_ node: Node) -> [ScheduleSpec] {
        switch node {
        case .mapping:
            return decodeSchedule(node).map { [$0] } ?? []
        case .sequence(let items):
            return items.compactMap { item in
                guard expectMapping(item, for: "an entry of 'schedule'") else { return nil }
                return decodeSchedule(item)
            }
        default:
            mismatch("a mapping or a list of mappings", for: "'schedule'", found: node)
            return []
        }
    }

    private mutating func decodeSchedule(_ node: Node) -> ScheduleSpec? {
        var cron: Located<String>?
        var cronNode: Node?
        var cronWritten = false
        var spec = ScheduleSpec(cron: Located(""), location: location(node))
        for entry in entries(of: node, allowed: Self.scheduleKeys, context: "'schedule'") {
            let value = entry.value
            switch entry.key {
            case "cron":
                cronWritten = true
                if let text = readString(value, for: "'cron'") {
                    cron = Located(text, at: location(value))
                    cronNode = value
                }
            case "timezone":
                if let zone = readString(value, for: "'timezone'") {
                    if TimeZone(identifier: zone) == nil {
                        let hint =
                            Suggestion.closest(to: zone, in: TimeZone.knownTimeZoneIdentifiers)
                            .map { "did you mean '\($0)'?" } ?? "use an IANA time zone such as 'UTC' or 'Europe/Paris'"
                        report(.unknownTimezone, "unknown time zone '\(zone)'", at: value, hint: hint)
                    } else {
                        spec.timezone = zone
                    }
                }
            case "paused":
                spec.paused = readBool(value, for: "'paused'") ?? false
            case "catchup":
                if let catchup = readChoice(value, for: "'catchup'", as: ScheduleSpec.Catchup.self) { spec.catchup = catchup }
            case "catchup_limit":
                if let limit = readInt(value, for: "'catchup_limit'", minimum: 1) { spec.catchupLimit = limit }
            case "overlap":
                if let overlap = readChoice(value, for: "'overlap'", as: ScheduleSpec.Overlap.self) { spec.overlap = overlap }
            case "jitter":
                spec.jitter = readDuration(value, for: "'jitter'", allowZero: true)
            default:
                break
            }
        }
        guard let cron, let cronNode else {
            if !cronWritten {
                report(.missingKey, "missing required key 'cron' in 'schedule'", at: node, length: 1)
            }
            return nil
        }
        checkCron(cron.value, at: cronNode)
        spec.cron = cron
        return spec
    }
}
