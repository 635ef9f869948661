"""plotly.js's official "basic" partial bundle, vendored in assets/vendor/.

The page draws only scatter traces (lines and markers) with shapes, annotations and log axes, all
of which the basic bundle (scatter, bar, pie) holds, at a quarter of the full bundle's size.
Dash serves every script of assets/ itself, so the bundle defines ``window.Plotly`` before
dcc's Graph looks for it, and the full bundle Dash would load on demand is never requested.

``python -m dashboard.devtools.vendor`` downloads the npm registry's ``plotly.js-basic-dist-min``
of the plotly.js version the installed plotly package ships (``get_plotlyjs_version()``),
checks the tarball against the registry's integrity hash and writes the bundle and its licence,
unchanged; ``--check`` only compares the vendored files with the registry's.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import re
import sys
import tarfile
import urllib.request
from pathlib import Path

from plotly.offline import get_plotlyjs_version

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "assets" / "vendor"
PACKAGE = "plotly.js-basic-dist-min"
REGISTRY = "https://registry.npmjs.org"
BUNDLE = VENDOR / "plotly-basic.min.js"
"""The bundle: its name sorts before plotly-locale-ru.js, which Dash loads after it."""
LICENSE = VENDOR / "plotly.js-LICENSE.txt"
FILES = {"package/plotly-basic.min.js": BUNDLE, "package/LICENSE": LICENSE}
"""Tarball member -> vendored file."""
VERSION_LINE = re.compile(rb"plotly\.js \(basic - minified\) v(\d+\.\d+\.\d+\S*)")


def bundle_version(path: Path = BUNDLE) -> str:
    """The plotly.js version a vendored bundle names in its opening comment."""
    with path.open("rb") as f:
        found = VERSION_LINE.search(f.read(400))
    if found is None:
        raise ValueError(f"{path}: no plotly.js basic bundle version in its header")
    return found.group(1).decode()


def registry_dist(version: str) -> dict[str, str]:
    """The registry's ``dist`` record (tarball, integrity, shasum) of the package's version."""
    with urllib.request.urlopen(f"{REGISTRY}/{PACKAGE}/{version}", timeout=60) as answer:
        return json.load(answer)["dist"]


def verified_tarball(dist: dict[str, str]) -> bytes:
    """The tarball's bytes, refused unless they match the registry's hashes."""
    with urllib.request.urlopen(dist["tarball"], timeout=120) as answer:
        data = answer.read()
    verify(data, dist)
    return data


def verify(data: bytes, dist: dict[str, str]) -> None:
    """Raise ``ValueError`` unless ``data`` has the hashes the registry's ``dist`` gives."""
    algorithm, _, expected = dist["integrity"].partition("-")
    digest = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if digest != expected:
        raise ValueError(f"{dist['tarball']}: {algorithm} {digest} is not the registry's")
    if "shasum" in dist and hashlib.sha1(data).hexdigest() != dist["shasum"]:
        raise ValueError(f"{dist['tarball']}: sha1 is not the registry's")


def members(tarball: bytes) -> dict[Path, bytes]:
    """The vendored files' contents, by their path here."""
    out = {}
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as tar:
        for name, path in FILES.items():
            try:
                member = tar.extractfile(name)
            except KeyError:
                member = None
            if member is None:
                raise ValueError(f"the tarball holds no file {name}")
            out[path] = member.read()
    return out


def fetch(version: str) -> dict[Path, bytes]:
    """The verified files of ``version`` from the registry."""
    return members(verified_tarball(registry_dist(version)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    parser.add_argument("--version", default=get_plotlyjs_version(), help="plotly.js version")
    args = parser.parse_args(argv)
    files = fetch(args.version)
    stale = [p for p, data in files.items() if not p.exists() or p.read_bytes() != data]
    if args.check:
        for path in stale:
            print(f"{path.relative_to(ROOT)} differs from {PACKAGE}@{args.version}")
        return 1 if stale else 0
    for path in stale:
        path.write_bytes(files[path])
        print(f"wrote {path.relative_to(ROOT)}")
    print(f"{PACKAGE}@{args.version}: {bundle_version()}, verified")
    return 0


if __name__ == "__main__":
    sys.exit(main())
