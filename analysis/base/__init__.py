"""Foundations every layer may use: error types, limits, option checks, BLAS threads,
warning filters and Korean particles. They import nothing else of the engine."""
