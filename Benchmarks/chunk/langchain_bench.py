#!/usr/bin/env python3
"""LangChain's RecursiveCharacterTextSplitter (chunk_size=1000, chunk_overlap=100, default
separators, len() as length) over the same texts as our chunker; prints the median time of
REPEATS rounds, the UTF-8 bytes, the chunk count and the total chunk length in characters.
Usage: langchain_bench.py TEXTS.jsonl REPEATS"""
import json
import statistics
import sys
import time

from langchain_text_splitters import RecursiveCharacterTextSplitter

pages = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
repeats = int(sys.argv[2])
splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=100)
size = sum(len(text.encode("utf-8")) for text in pages)
times = []
for _ in range(repeats):
    start = time.perf_counter()
    chunks = [splitter.split_text(text) for text in pages]
    times.append(time.perf_counter() - start)
count = sum(len(c) for c in chunks)
length = sum(len(x) for c in chunks for x in c)
print(f"{statistics.median(times):.4f} {size} {count} {length}")
