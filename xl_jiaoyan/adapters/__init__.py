"""Adapters: the only modules that touch workbooks (files or a live Excel)."""
