"""The tabs: each module has ``layout(...)`` for its components and ``register(app)``."""
