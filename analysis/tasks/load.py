"""Kept for scripts that import ``load_task`` from here: it lives in ``analysis.io.load_task``."""

from analysis.io.load_task import load_task as load_task
