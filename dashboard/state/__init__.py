"""The dashboard's state, one module per concern.

* :mod:`~dashboard.state.session` - the visitor's choices (the open file, how it is read,
  the level, ...), every shared ``st.session_state`` key with its accessor, and the
  bootstrap and seed settings;
* :mod:`~dashboard.state.samples` - the bundled sample files;
* :mod:`~dashboard.state.pipeline` - the one cached path from the open file to its
  dataset and report, for every task type;
* :mod:`~dashboard.state.resources` - what every session shares: the embedding backends
  and the workspace.

Nothing is imported here, so a page pulls in only the modules it uses.
"""
