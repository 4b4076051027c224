"""The Streamlit dashboard: pages, shared components and state over the :mod:`analysis` library
(``streamlit run dashboard/app.py``)."""
