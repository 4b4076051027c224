"""The readers of export formats: each sniffs an export and reads it into a ``TaskLoad``.

``parsed`` (the export read once), ``reader`` (the protocol), ``registry`` (``register``,
``unregister``, the choice by sniff), ``builtin`` (finds the formats) and one module per
format, which exports ``READERS`` and ``PRIORITY``. See docs/readers.md for adding one.
"""
