"""The records and the graph as RDF quads: the namespace, the IRIs, and the plan, body and reorganisation quads.

Imports run toward the records: this layer sees :mod:`kg.model` and :mod:`kg.graph` (``tests/test_layers.py``).
"""
