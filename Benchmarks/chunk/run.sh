#!/usr/bin/env bash
# Chunking speed: our recursive chunker (1000 characters, overlap 100) vs LangChain's
# RecursiveCharacterTextSplitter (same size and overlap, default separators), side by side
# in one run, on the same texts: the Python documentation (Debian python3-doc) as our parse
# step extracts it (libxml2), one text per page with its heading offsets.
#
#   Benchmarks/chunk/run.sh [REPEATS=5]
#
# Needs: swiftc, libxml2-dev, python3-doc, and pip install langchain-text-splitters==1.1.3.
# MB/s = UTF-8 bytes of all texts / median time of REPEATS rounds (texts already in memory;
# reading and extraction are not timed).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
repeats="${1:-5}"
docs="${PYTHON_DOCS:-/usr/share/doc/python3/html}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

swiftc -O -swift-version 6 -module-name ChunkBench -I "$root/Sources/CLibXML2" \
    $(pkg-config --cflags libxml-2.0 | sed 's/-I/-Xcc -I/g') \
    "$root"/Sources/FlowSteps/Chunk/{ChunkUnit,ChunkStrategy,TextChunker,TextSpan,UTF8Text,WordTokenizer}.swift \
    "$root"/Sources/FlowSteps/Parse/{MarkupTree,HTMLTextExtractor,HTMLElementKind,HTMLElementKinds,PlainTextWriter,DocumentHeading,ExtractedText}.swift \
    "$here/main.swift" -o "$work/chunk-bench"
"$work/chunk-bench" extract "$docs" "$work/texts.jsonl"

echo "machine: $(nproc) cores, $(uname -m), $(swiftc --version 2>&1 | head -1), $(python3 --version)"
echo "input: $(wc -l < "$work/texts.jsonl") pages of $docs"
printf '%-10s %9s %9s %8s %12s %10s\n' tool seconds MB/s chunks mean_chars MB
report() {
    read -r seconds bytes chunks length <<<"$2"
    python3 -c "import sys; s,b,c,l=float('$seconds'),int('$bytes'),int('$chunks'),int('$length'); print(f'%-10s %9.3f %9.1f %8d %12.1f %10.2f' % ('$1', s, b/s/1e6, c, l/c, b/1e6))"
}
report flow "$("$work/chunk-bench" chunk "$work/texts.jsonl" "$repeats")"
report langchain "$(python3 "$here/langchain_bench.py" "$work/texts.jsonl" "$repeats")"
