#!/bin/sh
# Validates workflow files against docs/flow.schema.json with an independent validator,
# check-jsonschema from PyPI (install: pip install check-jsonschema==0.39.0).
#
# Usage: scripts/check-schema.sh [FILE_OR_FOLDER...]
# Without arguments it checks Workflows/ and Pipelines/ (FlowSpecTests checks its own fixtures
# against the schema of its test catalog, through FLOW_SCHEMA).
# FLOW_SCHEMA=path chooses another schema file (such as `flow schema` output with the kinds).
# Folders are searched for *.yaml and *.yml. Exit status: 0 all valid, 1 a file is invalid,
# 69 (EX_UNAVAILABLE) check-jsonschema is not installed.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if ! command -v check-jsonschema >/dev/null 2>&1; then
    echo "check-schema: check-jsonschema not found; pip install check-jsonschema==0.39.0" >&2
    exit 69
fi

if [ "$#" -eq 0 ]; then
    set -- Workflows Pipelines
fi

list=$(mktemp)
trap 'rm -f "$list"' EXIT
for target in "$@"; do
    if [ -d "$target" ]; then
        find "$target" -type f \( -name '*.yaml' -o -name '*.yml' \) | sort >>"$list"
    elif [ -e "$target" ]; then
        echo "$target" >>"$list"
    else
        echo "check-schema: no such file or folder: $target" >&2
        exit 1
    fi
done

if [ ! -s "$list" ]; then
    echo "check-schema: no workflow files to check"
    exit 0
fi

# One file per line (workflow file names hold no newlines).
set --
while IFS= read -r file; do
    set -- "$@" "$file"
done <"$list"
status=0
check-jsonschema --schemafile "${FLOW_SCHEMA:-docs/flow.schema.json}" "$@" || status=$?
exit "$status"
