"""The week's notice (本周工作安排): content from the pipeline's result, text from a template."""
from xl_jiaoyan.notice.content import check_week, notice_data
from xl_jiaoyan.notice.template import FILE_NAME, SHEET, TemplateText, default_template, render, sheet_template

__all__ = ["FILE_NAME", "SHEET", "TemplateText", "check_week", "default_template", "notice_data",
           "render", "sheet_template"]
