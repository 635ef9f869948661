"""The flags Debian's Chromium runs with, headless, for the browser tests and benchmarks: no
sandbox (root in a container), no GPU, /tmp instead of a small /dev/shm, no background
traffic."""

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
