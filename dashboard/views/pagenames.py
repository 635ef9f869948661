"""The names the page's scripts (assets/*.js) look for that the views define.

Published in the page config (dashboard/pageconfig.py) as its "views" section, next to the id
types of dashboard/ids.py, so that no script spells them: the data attributes the views write
for a script to turn into content, the classes a script finds the views' elements by, and the
locale key of the plot's SVG button tooltip.
"""

from __future__ import annotations

from typing import Any

from dashboard.views import classroom, common, feedback, target
from dashboard.views.classroom import upload

CLASSES: dict[str, str] = {
    "param": common.PARAM_CLASS,
    "paramBox": common.PARAM_BOX_CLASS,
    "hint": common.HINT_CLASS,
    "upload": upload.UPLOAD_CLASS,
    "refused": upload.REFUSED_CLASS,
}
"""Classes the views give their elements and the scripts look for: a parameter's row and its
number box (views/common.py, assets/params.js), a hint's text (assets/presets.js's message
for a table with no valid row), an upload group and its refusal message
(views/classroom/upload.py, assets/upload.js)."""


def for_scripts() -> dict[str, Any]:
    """The page config's "views" section."""
    return {
        "attributes": {
            "feedback": feedback.ATTRIBUTE,
            "table": classroom.TABLE,
            "checked": target.CHECKED,
            "maxBytes": upload.MAX_BYTES_ATTRIBUTE,
        },
        "classes": CLASSES,
        "svgTitle": common.SVG_TITLE,
    }
