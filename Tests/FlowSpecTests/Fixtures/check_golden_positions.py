# Independent check of the golden files in invalid/: for each fixture, where each diagnostic
# must point, written by reading the YAML (line, and the text that starts at the column);
# Python finds the column by searching the line, so columns are counted independently of
# the Swift loader and renderer. Run: python3 Tests/FlowSpecTests/Fixtures/check_golden_positions.py
import re, os, sys
D=os.path.join(os.path.dirname(os.path.abspath(__file__)), 'invalid') + '/'
# token: text that starts at the expected column on that line; '$' = end of line (col len+1);
# (token, n) = n-th occurrence.
E = {
 'yaml-tab-indentation': [(4, '\t', 'found character that cannot start any token')],
 'yaml-unclosed-quote': [(5, '$', 'found unexpected end of stream')],
 'yaml-unclosed-flow-sequence': [(6, '$', "did not find expected ',' or ']'")],
 'yaml-mapping-value-in-plain-scalar': [(3, ': now', 'mapping values are not allowed')],
 'yaml-bad-indentation': [(4, 'needs', 'did not find expected key')],
 'yaml-two-documents': [(5, '---', 'one document')],
 'yaml-undefined-alias': [(2, '*region', 'undefined alias')],
 'yaml-control-character': [(4, '\x07', 'control characters')],
 'duplicate-top-level-key': [(3, 'name', "duplicate key 'name'")],
 'duplicate-step-id': [(7, 'build', "duplicate key 'build'")],
 'duplicate-step-key': [(5, 'run', "duplicate key 'run'")],
 'duplicate-env-key-three-times': [(4, 'REGION', "duplicate key 'REGION'"), (5, '"REGION"', "duplicate key 'REGION'")],
 'duplicate-key-in-flow-mapping': [(4, ('url', 2), "duplicate key 'url'")],
 'duplicate-secret-in-list': [(1, ('API_TOKEN', 2), "listed twice")],
 'unknown-top-level-key': [(1, 'name', "missing required key 'steps'"), (2, 'stpes', "unknown key 'stpes'")],
 'unknown-step-key': [(6, 'neds', "unknown key 'neds'")],
 'unknown-step-key-snake-case': [(4, 'working_directory', 'unknown key')],
 'unknown-step-key-camel-case': [(4, 'continueOnError', 'unknown key')],
 'unknown-step-key-no-suggestion': [(4, 'runs-on', 'unknown key')],
 'unknown-param-key': [(4, 'defualt', 'unknown key')],
 'unknown-retry-key': [(6, 'max-delay', 'unknown key')],
 'unknown-schedule-key': [(3, 'time_zone', 'unknown key')],
 'unknown-defaults-key': [(3, 'environment', 'unknown key')],
 'unknown-secret-key': [(3, 'path', 'unknown key')],
 'merge-key-not-supported': [(1, 'x-common', 'unknown key'), (5, '<<', "unknown key '<<'")],
 'steps-as-list': [(2, '-', "for 'steps', found a list")],
 'step-as-string': [(2, 'make all', "for step 'build', found a string")],
 'root-is-list': [(1, '-', 'found a list')],
 'concurrency-as-string': [(1, '"4"', 'expected an integer')],
 'continue-on-error-yes': [(4, 'yes', 'expected a boolean')],
 'needs-as-mapping': [(6, '{', 'found a mapping')],
 'env-as-list': [(2, '-', "for 'env', found a list")],
 'env-value-mapping': [(6, 'region', 'found a mapping')],
 'run-as-list': [(4, '-', "for 'run', found a list")],
 'if-as-list': [(4, '[', 'found a list')],
 'output-as-number': [(5, '3.10', 'found a number')],
 'schedule-as-string': [(1, '"0 3', 'found a string')],
 'secrets-as-string': [(1, 'API_TOKEN', 'found a string')],
 'non-scalar-key': [(2, '[A', 'string key')],
 'name-as-number': [(1, '2024', 'found an integer')],
 'missing-steps': [(1, 'name', "missing required key 'steps'")],
 'empty-file': [(1, '#', 'empty')],
 'steps-empty-mapping': [(2, 'steps', 'no steps')],
 'step-empty': [(2, 'build', "needs 'run' or 'uses'")],
 'step-without-action': [(4, 'parse', "needs 'run' or 'uses'")],
 'schedule-missing-cron': [(2, 'timezone', "missing required key 'cron'")],
 'retry-missing-attempts': [(5, 'backoff', "missing required key 'attempts'")],
 'run-and-uses': [(4, 'uses', "both 'run' and 'uses'"), (5, 'with', "'with' is only valid")],
 'secret-env-and-file': [(4, 'file', "both 'env' and 'file'")],
 'with-without-uses': [(4, 'with', "'with' is only valid")],
 'invalid-backoff': [(6, 'exponental', "invalid value 'exponental'")],
 'invalid-backoff-no-suggestion': [(4, 'linear', "invalid value 'linear'")],
 'invalid-catchup': [(3, 'latests', "invalid value")],
 'invalid-overlap': [(3, 'cancel_previous', "invalid value")],
 'invalid-param-type': [(3, 'integer', "invalid value 'integer'")],
 'invalid-param-type-unknown': [(3, 'date', "invalid value 'date'")],
 'concurrency-zero': [(1, '0', 'at least 1')],
 'retry-attempts-zero': [(4, '0', 'at least 1')],
 'catchup-limit-negative': [(4, '-1', 'at least 1')],
 'timeout-zero': [(4, '0s', 'longer than zero')],
 'duration-bad-unit': [(4, '5min', 'invalid duration')],
 'duration-bare-number': [(4, '30', 'invalid duration')],
 'duration-in-defaults': [(2, 'forever', 'invalid duration'), (5, '1.5', 'invalid duration')],
 'duration-jitter': [(3, '5 minutes', 'invalid duration')],
 'retry-max-delay-mapping': [(8, '{', 'found a mapping')],
 'invalid-step-id': [(2, 'build step', 'invalid step id'), (4, '2nd', 'invalid step id')],
 'invalid-env-name': [(2, 'MY-REGION', 'invalid environment'), (3, '9LIVES', 'invalid environment')],
 'invalid-param-name': [(2, 'max count', 'invalid param name')],
 'invalid-workflow-name': [(1, 'nightly report', 'invalid workflow name')],
 'invalid-output-name': [(5, 'artifact.path', 'invalid output name')],
 'invalid-secret-env-name': [(3, 'api-token', 'invalid environment')],
 'param-default-wrong-type': [(4, 'many', 'must be an integer')],
 'param-default-version-number': [(4, '3.10', 'must be a string')],
 'param-default-not-in-enum': [(5, 'ap-south-1', "not one of its 'enum'")],
 'param-enum-wrong-type': [(4, 'four', 'expected an integer')],
 'param-enum-empty': [(3, '[]', 'is empty')],
 'param-required-with-default': [(4, 'required', 'warning: param')],
 'param-list-default-not-list': [(4, 'linux', 'must be a list')],
 'param-bool-default-string': [(4, '"false"', 'must be a boolean')],
 'unknown-kind': [(3, 'fetc', "unknown step kind 'fetc'")],
 'unknown-kind-no-suggestion': [(3, 'kubernetes-apply', 'unknown step kind')],
 'unknown-input': [(4, 'with', "missing required input 'url'"), (5, 'urll', "unknown input 'urll'")],
 'missing-required-input': [(4, 'with', "missing required input 'url'"), (7, 'embed', "missing required input 'model'")],
 'input-wrong-type': [(6, 'big', "input 'size'"), (7, '"0.1"', "input 'overlap'")],
 'input-invalid-choice': [(6, 'PSOT', "invalid value 'PSOT'")],
 'input-list-item-type': [(6, 'sms', "channels[1]")],
 'input-map-value-type': [(8, '3', "headers.x-retries")],
 'input-bad-duration': [(6, '2 hours', 'invalid duration')],
 'input-template-accepted-other-wrong': [(11, '"', "input 'separators'")],
 'with-not-mapping': [(4, 'https', "for 'with'")],
 'unknown-need': [(6, 'fecth', "unknown step 'fecth'")],
 'unknown-need-string': [(6, 'embedd', "unknown step 'embedd'")],
 'self-dependency': [(4, 'build', 'needs itself')],
 'cycle-two-steps': [(7, 'a', 'cycle: a → b → a')],
 'cycle-three-steps': [(7, 'fetch', 'cycle: fetch → publish → parse → fetch')],
 'duplicate-need': [(6, ('fetch', 2), "warning: step 'parse' lists 'fetch'")],
 'needs-entry-number': [(6, '2', 'found an integer')],
 'unknown-timezone': [(3, 'Europe/Pari', 'unknown time zone')],
 'unknown-timezone-abbreviation': [(3, 'Mars', 'unknown time zone')],
 'schedule-list-bad-entries': [(3, '"0 4', 'found a string'), (5, 'maybe', "for 'paused'")],
 'matrix-empty-dimension': [(5, '[]', "'python' has no values")],
 'matrix-no-dimensions': [(4, '{}', 'no dimensions')],
 'matrix-exclude-unknown-dimension': [(9, 'pyton', "unknown matrix dimension 'pyton'")],
 'matrix-dimension-not-list': [(5, 'linux', 'found a string')],
 'matrix-include-not-list': [(6, '{', 'found a mapping')],
 'matrix-repeated-value': [(5, ('a', 2), "lists 'a' twice")],
 'matrix-ids-collide': [(4, 'matrix', "same id 'test[a,b,c]'")],
 'many-errors-one-pass': [(2, '-2', 'at least 1'), (6, '3', 'must be a string'), (12, 'three', "input 'retries'"),
     (15, 'chunkk', "unknown step 'chunkk'"), (16, '10', 'invalid duration'), (20, 'with', "missing required input 'input'"),
     (24, 'embed', 'needs itself'), (25, '"true"', 'expected a boolean')],
 'key-order-preserved-errors': [(7, '""', "'shell' is empty"), (8, '[', 'found a list')],
 'expr-syntax-in-run': [(6, '}}', 'unexpected end of expression')],
 'expr-unterminated': [(6, '${{', "unterminated '${{'")],
 'expr-syntax-in-literal-block': [(10, '}}', "expected ',' or ')'")],
 'expr-syntax-in-folded-block': [(5, 'params.name', "unknown param 'name'"), (6, '+', "unexpected '+'")],
 'expr-syntax-and-unknown-param': [(6, 'params.nope', "unknown param 'nope'"), (6, '+', "unexpected '+'")],
 'cycle-with-missing-need': [(5, 'steps.fetch', "does not need 'fetch'"), (9, 'build', 'cycle: build → test → build')],
 'expr-run-unknown-key': [(3, 'run.workflw', "unknown property 'workflw' of 'run'"), (3, 'run.bogus', "unknown property 'bogus'")],
 'param-template-default-wrong-context': [(6, 'params.region', "'params' cannot be read in a param default")],
 'yaml-nesting-too-deep': [(5, ('[', 2), 'nested too deeply')],
 'expr-long-line': [(6, 'params.regon', "unknown param 'regon'")],
 'expr-syntax-after-escapes': [(3, ('|', 3), "unexpected '|'")],
 'expr-syntax-in-if': [(7, '$', 'unexpected end of expression')],
 'expr-if-mixed-text': [(7, " == 'failure'", 'must be one expression')],
 'expr-unknown-context': [(3, 'inputs.name', "unknown context 'inputs'")],
 'expr-unknown-context-suggestion': [(6, 'param.region', "unknown context 'param'")],
 'expr-unknown-param': [(9, 'params.regoin', "unknown param 'regoin'")],
 'expr-unknown-secret': [(6, 'secrets.API_TOKNE', "unknown secret 'API_TOKNE'"), (7, 'secrets.DATABASE_URL', "unknown secret 'DATABASE_URL'")],
 'expr-unknown-step': [(5, 'steps.biuld', "unknown step 'biuld'")],
 'expr-missing-need': [(7, 'steps.build', "does not need 'build'")],
 'expr-indirect-need-allowed': [(11, 'steps.index', "does not need 'index'")],
 'expr-unknown-output-of-kind': [(7, 'steps.download', "no output 'paht'")],
 'expr-unknown-property': [(5, 'steps.build', "unknown property 'output'")],
 'expr-self-reference': [(3, 'steps.build', 'reads its own')],
 'expr-matrix-without-matrix': [(3, 'matrix.os', 'has no matrix')],
 'expr-matrix-unknown-dimension': [(3, 'matrix.pyhton', "no matrix dimension 'pyhton'")],
 'expr-steps-in-workflow-env': [(2, 'steps.build', "'steps' cannot be read")],
 'expr-param-default-reads-params': [(5, 'params.region', "'params' cannot be read")],
 'expr-param-default-syntax': [(3, ('${{', 2), 'empty expression')],
 'expr-in-with-list': [(13, 'params.separator', "unknown param 'separator'")],
 'expr-in-output': [(5, '${{', "unterminated")],
 'expr-unknown-function': [(3, 'contain(', "unknown function 'contain'")],
 'expr-syntax-in-single-quotes': [(6, '= }}', "unexpected '='")],
 'expr-in-plain-multiline': [(8, 'params.nmae', "unknown param 'nmae'")],
 'expr-in-flow-sequence': [(7, 'params.sepp', "unknown param 'sepp'")],
 'cron-out-of-range': [(2, '60', 'minute field: 60 is out of range')],
 'cron-field-count': [(2, '"\n', 'found 4 fields')],
 'cron-unknown-name': [(2, 'FRY', "unknown day-of-week name 'FRY'")],
}
ok = True
names = sorted(f[:-5] for f in os.listdir(D) if f.endswith('.yaml'))
missing = [n for n in names if n not in E]
if missing: print('NO EXPECTATION:', missing); ok = False
for n in names:
    if n not in E: continue
    src = open(D+n+'.yaml', encoding='utf-8').read().split('\n')
    out = open(D+n+'.txt', encoding='utf-8').read()
    heads = re.findall(r'^' + re.escape(n) + r'\.yaml:(\d+):(\d+): (error|warning): (.*)$', out, re.M)
    exp = []
    for line, tok, msg in E[n]:
        text = src[line-1]
        if tok == '$': col = len(text) + 1
        else:
            t, k = (tok, 1) if isinstance(tok, str) else tok
            t = t.rstrip('\n')
            if tok == '"\n' or t != tok and isinstance(tok, str): col = len(text)  # closing quote at end of line
            else:
                i = -1
                for _ in range(k): i = text.index(t, i + 1)
                col = i + 1
        exp.append((line, col, msg))
    got = [(int(l), int(c), sev + ': ' + m) for l, c, sev, m in heads]
    if len(got) != len(exp):
        print(n, 'COUNT', got, exp); ok = False; continue
    for (gl, gc, gm), (el, ec, em) in zip(got, exp):
        if (gl, gc) != (el, ec) or em not in gm:
            print(n, 'MISMATCH got', (gl, gc, gm), 'expected', (el, ec, em)); ok = False
# Every excerpt: at most 120 source characters (plus '…' where cut), and the caret under the
# character at the diagnostic's column (or just past the line's end).
for n in names:
    src = open(D+n+'.yaml', encoding='utf-8').read().split('\n')
    out = open(D+n+'.txt', encoding='utf-8').read().split('\n')
    for k, head in enumerate(out):
        m = re.match(r'^' + re.escape(n) + r'\.yaml:(\d+):(\d+): ', head)
        if not m or k + 2 >= len(out) or ' | ' not in out[k+1]: continue
        line, col = int(m.group(1)), int(m.group(2))
        shown = out[k+1].split(' | ', 1)[1]
        caret = out[k+2].split(' | ', 1)[1].index('^')
        text = src[line-1].rstrip('\r')
        if len(shown.strip('…')) > 120:
            print(n, 'EXCERPT TOO LONG', len(shown)); ok = False
        want = text[col-1:col] or '$'
        got = shown[caret:caret+1] or '$'
        if want != got:
            print(n, 'CARET', line, col, repr(want), repr(got)); ok = False
print('ALL OK' if ok else 'FAILURES', len(names))
sys.exit(0 if ok else 1)
