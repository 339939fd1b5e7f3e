"""Admin views and hooks; see intake/wagtail_hooks.py."""
