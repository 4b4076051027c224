"""The dashboard's pages, one module each (Overview, Data, Annotators, Classes, ...), found by
:func:`dashboard.app.build_navigation`."""
