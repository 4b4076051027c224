"""The span task: agreement, consensus, ambiguity clusters, gold spans and the views of typed
spans over each document's text."""
