"""Who may frame the app: ``$FRAME_ANCESTORS``, its parsing, the headers that follow it, and the
one line a bad value stops start-up with (under gunicorn as the Procfile runs it, and under
``python -m dashboard``).
"""

from __future__ import annotations

import pytest
from dash import Dash

from dashboard import __main__ as entry
from dashboard.app import create_app
from dashboard.devtools.gunicorn import Gunicorn
from dashboard.security import (
    COMMON_HEADERS,
    FRAME_ENV,
    FRAME_OPTIONS,
    NON_HTML_CSP,
    SettingError,
    check_environment,
    frame_ancestors,
)

GOOD_EXAMPLE = 'FRAME_ANCESTORS="https://moodle.example.edu https://*.instructure.com"'


def parsed(value: str) -> tuple[str, ...]:
    return frame_ancestors({FRAME_ENV: value})


def refusal(value: str) -> str:
    with pytest.raises(SettingError) as refused:
        parsed(value)
    return str(refused.value)


# --- the parser -----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["", "   ", " , ,\t"])
def test_unset_or_empty_lets_nobody_frame(value: str) -> None:
    assert frame_ancestors({}) == ()
    assert parsed(value) == ()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://moodle.example.edu", ("https://moodle.example.edu",)),
        (
            "https://moodle.example.edu https://*.instructure.com",
            ("https://moodle.example.edu", "https://*.instructure.com"),
        ),
        (
            "https://moodle.example.edu,https://*.instructure.com",
            ("https://moodle.example.edu", "https://*.instructure.com"),
        ),
        (
            " https://a.example.org ,\n http://127.0.0.1:8000\t'self' ",
            ("https://a.example.org", "http://127.0.0.1:8000", "'self'"),
        ),
        ("HTTPS://Moodle.Example.EDU:8443/", ("https://moodle.example.edu:8443",)),
        (
            "'SELF' https://x.example.org https://x.example.org/",
            ("'self'", "https://x.example.org"),
        ),
        ("http://localhost:65535", ("http://localhost:65535",)),
        ("https://*.canvas.example-uni.ac.uk", ("https://*.canvas.example-uni.ac.uk",)),
    ],
)
def test_origins_are_read_as_csp_sources(value: str, expected: tuple[str, ...]) -> None:
    """Spaces and commas separate; scheme and host are lower-cased, a trailing / dropped,
    repeats kept once, in the order given."""
    assert parsed(value) == expected


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        ("*", "would let every site frame the app"),
        ("https://*", "has no valid host name"),
        ("https://*.edu", "has a wildcard over a whole top-level domain"),
        ("https://moodle.*.edu", "has no valid host name"),
        ("https://*moodle.edu", "has no valid host name"),
        ("moodle.example.edu", "is not an origin"),
        ("self", "is not an origin"),
        ("ftp://moodle.example.edu", "is not an http:// or https:// origin"),
        ("javascript://moodle.example.edu", "is not an http:// or https:// origin"),
        ("https://moodle.example.edu/course/view.php", "has a path, query or fragment"),
        ("https://moodle.example.edu//", "has a path, query or fragment"),
        ("https://moodle.example.edu?id=3", "has a path, query or fragment"),
        ("https://moodle.example.edu#top", "has a path, query or fragment"),
        ("https://moodle.example.edu:0", "has a port that is not a whole number in 1..65535"),
        ("https://moodle.example.edu:65536", "has a port that is not a whole number"),
        ("https://moodle.example.edu:*", "has a port that is not a whole number"),
        ("https://moodle.example.edu:", "has a port that is not a whole number"),
        ("https://teacher@moodle.example.edu", "has no valid host name"),
        ("https://moodle_example.edu", "has no valid host name"),
        ("https://-moodle.example.edu", "has no valid host name"),
        ("https://[::1]:8000", "has no valid host name"),
        ("https://", "has no valid host name"),
        ("'none'", "is quoted: only 'self' may be"),
        ("'unsafe-inline'", "is quoted: only 'self' may be"),
        ("'https://moodle.example.edu'", "is quoted"),
        ('"https://moodle.example.edu"', "is quoted"),
        ("https://moodle.example.edu;script-src", "has no valid host name"),
    ],
)
def test_each_kind_of_bad_entry_is_refused_with_one_line(entry: str, reason: str) -> None:
    message = refusal(f"https://good.example.org {entry}")
    assert message.startswith(f"FRAME_ANCESTORS: {entry!r} {reason}"), message
    assert message.endswith(f"; a good value: {GOOD_EXAMPLE}"), message
    assert "\n" not in message


def test_the_first_bad_entry_is_named() -> None:
    message = refusal("https://ok.example.org http://bad.example.org/x ftp://worse.example.org")
    assert "'http://bad.example.org/x'" in message and "worse" not in message


def test_the_message_reads_whole() -> None:
    assert refusal("https://moodle.example.edu/course") == (
        "FRAME_ANCESTORS: 'https://moodle.example.edu/course' has a path, query or fragment: "
        "give the origin only (scheme and host); a good value: FRAME_ANCESTORS="
        '"https://moodle.example.edu https://*.instructure.com"'
    )


def test_the_environment_check_reads_both_settings() -> None:
    check_environment({FRAME_ENV: "https://a.example.org", "MAX_REQUEST_BYTES": "4096"})
    with pytest.raises(SettingError) as refused:
        check_environment({FRAME_ENV: "ftp://a"})
    assert str(refused.value).startswith("FRAME_ANCESTORS: 'ftp://a' ")
    with pytest.raises(SettingError) as refused:
        check_environment({FRAME_ENV: "https://a.example.org", "MAX_REQUEST_BYTES": "x"})
    assert str(refused.value).startswith("MAX_REQUEST_BYTES='x': ")


# --- the headers ------------------------------------------------------------------------------


def csp_directives(header: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


@pytest.fixture(scope="module")
def framed() -> Dash:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(FRAME_ENV, "https://moodle.example.edu, https://*.instructure.com 'self'")
        return create_app()


@pytest.fixture(scope="module")
def unframed() -> Dash:
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(FRAME_ENV, raising=False)
        return create_app()


PATHS = ("/", "/?tab=square2&hide=formula", "/_dash-layout", "/health", "/assets/style.css")


def test_unset_nothing_may_frame_the_app(unframed: Dash) -> None:
    client = unframed.server.test_client()
    for path in PATHS:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers.get_all(FRAME_OPTIONS[0]) == [FRAME_OPTIONS[1]], path
        assert csp_directives(response.headers["Content-Security-Policy"])["frame-ancestors"] == (
            "'none'"
        ), path


def test_set_the_page_names_the_origins_and_drops_x_frame_options(framed: Dash) -> None:
    client = framed.server.test_client()
    page = client.get("/")
    csp = csp_directives(page.headers["Content-Security-Policy"])
    assert csp["frame-ancestors"] == "https://moodle.example.edu https://*.instructure.com 'self'"
    assert page.headers["Content-Security-Policy"].count("frame-ancestors") == 1
    for path in PATHS:
        response = client.get(path)
        assert response.status_code == 200, path
        assert FRAME_OPTIONS[0] not in response.headers, path
        for name, value in COMMON_HEADERS:  # every other header as before
            if name != FRAME_OPTIONS[0]:
                assert response.headers[name] == value, (path, name)
    # A JSON answer or a file is never a page to frame: it still allows nothing.
    assert client.get("/_dash-layout").headers["Content-Security-Policy"] == NON_HTML_CSP
    assert client.get("/health").headers["Content-Security-Policy"] == NON_HTML_CSP


def test_a_bad_value_stops_create_app(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FRAME_ENV, "https://moodle.example.edu/course")
    with pytest.raises(SettingError) as refused:
        create_app()
    assert str(refused.value).startswith("FRAME_ANCESTORS: 'https://moodle.example.edu/course' ")


# --- start-up refused -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "line"),
    [
        (
            {FRAME_ENV: "https://moodle.example.edu *"},
            "FRAME_ANCESTORS: '*' would let every site frame the app",
        ),
        ({"MAX_REQUEST_BYTES": "lots"}, "MAX_REQUEST_BYTES='lots': expected a whole number"),
    ],
)
def test_python_m_dashboard_stops_with_one_line(settings: dict[str, str], line: str) -> None:
    with pytest.raises(SystemExit) as stopped:
        entry.main([], settings)
    assert str(stopped.value.code).startswith(f"python -m dashboard: {line}")


def test_gunicorn_refuses_to_start_and_says_why_in_one_line() -> None:
    """The Procfile's command with a bad FRAME_ANCESTORS: gunicorn exits before it listens or
    loads the app, and its stderr is the one line, no traceback."""
    server = Gunicorn(workers=1, env={FRAME_ENV: "https://moodle.example.edu/course/view.php"})
    server.start()
    try:
        assert server.proc is not None
        assert server.proc.wait(timeout=60) != 0
    finally:
        server.stop()
    stderr = server.stderr()
    assert stderr.splitlines() == [
        "Error: FRAME_ANCESTORS: 'https://moodle.example.edu/course/view.php' has a path, query "
        "or fragment: give the origin only (scheme and host); a good value: " + GOOD_EXAMPLE
    ], stderr
    assert server.stdout() == ""
