"""The vendored plotly.js bundle (dashboard/devtools/vendor.py) and the assets' caching
(dashboard/assetcache.py)."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import tarfile
from pathlib import Path

import pytest
from plotly.offline import get_plotlyjs_version

from dashboard import assetcache
from dashboard.app import ASSETS, app
from dashboard.devtools import vendor

CHROMIUM_ENCODINGS = {"Accept-Encoding": "gzip, deflate, br, zstd"}


def test_the_vendored_bundle_is_the_plotly_packages_plotly_js() -> None:
    # An upgrade of plotly must come with `python -m dashboard.devtools.vendor`: the page would
    # otherwise draw with another plotly.js than the one the figures are written for.
    assert vendor.bundle_version() == get_plotlyjs_version()
    assert vendor.BUNDLE.parent == Path(ASSETS) / "vendor"
    assert "MIT" in vendor.LICENSE.read_text()


def test_the_bundle_loads_before_the_russian_locale() -> None:
    # Dash loads assets/ in name order; the locale registers itself with plotly.js.
    assert vendor.BUNDLE.name < "plotly-locale-ru.js"


def page_scripts() -> list[str]:
    html = app.server.test_client().get("/").get_data(as_text=True)
    return re.findall(r'<script src="([^"]+)"', html)


def test_the_page_loads_the_partial_bundle_and_not_the_full_one() -> None:
    scripts = page_scripts()
    assert any(s.startswith("/assets/vendor/plotly-basic.min.js?m=") for s in scripts)
    assert not [s for s in scripts if "plotly.min.js" in s or "package_data" in s]


def fake_tarball(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def dist_of(data: bytes) -> dict[str, str]:
    sha512 = base64.b64encode(hashlib.sha512(data).digest()).decode()
    return {
        "tarball": "plotly.tgz",
        "integrity": f"sha512-{sha512}",
        "shasum": hashlib.sha1(data).hexdigest(),
    }


def test_a_tarball_is_taken_only_with_the_registrys_hashes() -> None:
    data = fake_tarball({"package/plotly-basic.min.js": b"js", "package/LICENSE": b"MIT"})
    vendor.verify(data, dist_of(data))
    with pytest.raises(ValueError, match="sha512"):
        vendor.verify(data + b"x", dist_of(data))
    with pytest.raises(ValueError, match="sha1"):
        vendor.verify(data, {**dist_of(data), "shasum": "0" * 40})
    assert vendor.members(data) == {vendor.BUNDLE: b"js", vendor.LICENSE: b"MIT"}
    with pytest.raises(ValueError, match="LICENSE"):
        vendor.members(fake_tarball({"package/plotly-basic.min.js": b"js"}))


def asset_url(name: str) -> str:
    (url,) = [s for s in page_scripts() if s.startswith(f"/assets/{name}?m=")]
    return url


@pytest.mark.parametrize("name", ["vendor/plotly-basic.min.js", "plotconfig.js"])
def test_a_fingerprinted_asset_is_cached_for_a_year(name: str) -> None:
    client = app.server.test_client()
    answer = client.get(asset_url(name), headers=CHROMIUM_ENCODINGS)
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert answer.headers["Content-Encoding"] in ("br", "zstd", "gzip")


@pytest.mark.parametrize("query", ["", "?m=1", "?m=1796331353.0"])
def test_an_asset_without_its_current_fingerprint_is_revalidated(query: str) -> None:
    answer = app.server.test_client().get("/assets/plotconfig.js" + query)
    assert answer.status_code == 200
    assert "immutable" not in answer.headers.get("Cache-Control", "")
    assert answer.headers.get("ETag") or answer.headers.get("Last-Modified")


def test_a_missing_asset_is_not_cached() -> None:
    answer = app.server.test_client().get("/assets/nothing.js?m=1")
    assert answer.status_code == 404
    assert "immutable" not in answer.headers.get("Cache-Control", "")


def test_a_changed_file_has_a_new_fingerprint(tmp_path: Path) -> None:
    path = tmp_path / "x.js"
    path.write_text("1")
    os.utime(path, (1_000_000_000.5, 1_000_000_000.5))
    old = str(os.stat(path).st_mtime)
    assert assetcache.fingerprinted(str(tmp_path), "x.js", old)
    path.write_text("2")
    os.utime(path, (1_000_000_100.25, 1_000_000_100.25))
    assert not assetcache.fingerprinted(str(tmp_path), "x.js", old)
    assert assetcache.fingerprinted(str(tmp_path), "x.js", str(os.stat(path).st_mtime))
    assert not assetcache.fingerprinted(str(tmp_path), "../x.js", old)
    assert not assetcache.fingerprinted(str(tmp_path), "x.js", None)
