"""Annotator quality, fatigue, bias, groups and rounds."""
