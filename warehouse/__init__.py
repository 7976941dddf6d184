"""geo-warehouse: who supplies what to whom, from news articles, with provenance."""

__version__ = "0.1.0"
