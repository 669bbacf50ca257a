"""xl-jiaoyan: the teaching-research office's workbook, refreshed."""
__version__ = "0.1.0"
