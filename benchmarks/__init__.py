"""Benchmarks at scale: load, extract and query costs against DuckDB's own limits.

``python -m benchmarks --articles N`` generates a deterministic synthetic corpus
(benchmarks.corpus), loads it through the library (``warehouse load``) and through
DuckDB's own ``read_json`` (benchmarks.native), reloads it, measures the extractor and
every canned view, and prints one JSON object as its last line (benchmarks.run).
Figures and their interpretation: benchmarks/RESULTS.md.
"""
