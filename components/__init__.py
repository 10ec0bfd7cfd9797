"""Streamlit front end pieces: controls, caching, pure chart builders, exports."""
