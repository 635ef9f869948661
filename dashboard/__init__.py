"""Activation Playground: an interactive dashboard on how activation functions shape a network."""

__version__ = "0.1.0"
