"""The week's notice (本周工作安排): content from the computed result (content), text from a
template run in a sandbox (template, sandbox), the printable Word file (docx); make ties them.
Nothing is imported here: Jinja2 and python-docx load only for the commands that need them."""
