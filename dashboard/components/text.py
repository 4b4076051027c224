"""Showing user text safely: labels, names and item texts come from uploaded files."""

from __future__ import annotations

import re
from typing import Final

_MARKDOWN_SPECIAL: Final = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md(text: object) -> str:
    """``text`` with every Markdown (and HTML-looking) character backslash-escaped.

    Use it for any user value placed inside ``st.markdown``/``st.caption``/``st.info``
    text, so a label like ``**x**`` or ``<script>`` shows literally.

    Examples
    --------
    >>> md("**bold** <b>")
    '\\\\*\\\\*bold\\\\*\\\\* \\\\<b\\\\>'
    >>> md("경제")
    '경제'
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
