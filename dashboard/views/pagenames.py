"""The names the page's scripts (assets/*.js) look for that the views define.

Published in the page config (dashboard/pageconfig.py) as its "views" section, next to the id
types of dashboard/ids.py, so that no script spells them: the data attributes the views write
for a script to turn into content, the classes a script finds the views' elements by, and the
locale key of the plot's SVG button tooltip.
"""

from __future__ import annotations

from typing import Any

from dashboard.views import classroom, common, feedback, target

MAX_BYTES = "data-max-bytes"
"""The attribute of an upload's refusal message holding the largest file the drop zone takes."""

CLASSES: dict[str, str] = {
    "param": "param",
    "paramBox": "param-box",
    "hint": "hint",
    "upload": "classroom-upload",
    "refused": "upload-refused",
}
"""Classes the views give their elements and the scripts look for: a parameter's row and its
number box (views/common.py, assets/params.js), a hint's text (assets/presets.js's message
for a table with no valid row), an upload group and its refusal message (views/classroom.py,
assets/upload.js)."""


def for_scripts() -> dict[str, Any]:
    """The page config's "views" section."""
    return {
        "attributes": {
            "feedback": feedback.ATTRIBUTE,
            "table": classroom.TABLE,
            "checked": target.CHECKED,
            "maxBytes": MAX_BYTES,
        },
        "classes": CLASSES,
        "svgTitle": common.SVG_TITLE,
    }
