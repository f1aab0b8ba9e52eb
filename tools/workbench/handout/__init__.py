"""The handout site: the whole workshop as static web pages (tools/handout.py)."""
