"""The task types: single-label, multi-label and span annotations, each with its measures,
report sections, tables and verdict behind the one task interface
(:class:`analysis.report.protocol.Task`)."""
