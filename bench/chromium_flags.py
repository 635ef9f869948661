"""The flags Debian's Chromium is launched with, headless, by the browser tests
(tests/conftest.py) and the browser benchmarks (browser_ab.py, updates.py): no sandbox (root in
a container), no GPU, /tmp instead of a small /dev/shm, and no background traffic."""

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
