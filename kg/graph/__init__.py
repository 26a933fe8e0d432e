"""The networkx reference over the records: the graph, its metrics, the body audit and the reorganisation.

Imports run toward the records: this layer sees :mod:`kg.model` only (``tests/test_layers.py``).
"""
