"""Pure NumPy core: activations and dense networks. Knows nothing of Dash, Plotly or pandas."""

from dashboard.model.activations import ACTIVATIONS, GALLERY_ORDER, Activation, get_activation
from dashboard.model.network import Dense, Forward, Network

__all__ = [
    "ACTIVATIONS",
    "GALLERY_ORDER",
    "Activation",
    "Dense",
    "Forward",
    "Network",
    "get_activation",
]
