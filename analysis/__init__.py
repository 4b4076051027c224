"""Inter-annotator agreement and guideline-consistency analytics (the pure library).

This package never imports streamlit, and imports torch/transformers only inside the
embedding backend, when an embedding is actually requested.
"""

__version__ = "0.1.0"
