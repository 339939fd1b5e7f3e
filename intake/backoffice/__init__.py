"""The back office of the demandes (issue 4): forms, views, filters, exports, history, panels."""
