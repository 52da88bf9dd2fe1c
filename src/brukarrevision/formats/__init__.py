"""Date formats: one format in each language, "3 mars 2027" and "3 March 2027".

Templates write dates with `|date:"DATE_FORMAT"` (or `|date` alone) and times with
`|date:"DATETIME_FORMAT"`; the admin uses the same formats (settings.FORMAT_MODULE_PATH).
"""
