"""The workbook's sheets, one module each: rows gathered in a Sheet, then written by openpyxl."""
