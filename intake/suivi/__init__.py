"""The back office of the demandes: forms, views, filters, exports, history, panels."""
