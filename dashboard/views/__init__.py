"""One module per kind of tab: ``layout(...)`` builds its components, ``register(app)`` wires them."""
