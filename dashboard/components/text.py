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


def file_size(n_bytes: int) -> str:
    """A file's size for a caption: bytes under 1 KB, else KB, from 10 MB on MB.

    Examples
    --------
    >>> file_size(40), file_size(371_712), file_size(25_000_000)
    ('40 B', '363 KB', '23.8 MB')
    """
    if n_bytes < 1024:
        return f"{n_bytes} B"
    if n_bytes < 10 * 1024**2:
        return f"{n_bytes / 1024:,.0f} KB"
    return f"{n_bytes / 1024**2:,.1f} MB"
