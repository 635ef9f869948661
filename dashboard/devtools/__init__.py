"""What the tests and the benchmarks share, and the app never imports: callback bodies as a
page sends them, gunicorn run as the Procfile runs it, a load of many clients, and the flags
headless Chromium runs with."""
