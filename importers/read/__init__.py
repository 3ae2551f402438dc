"""Reading a file: workbooks and CSV as sheets of cells, then the header, the list's metadata
and its kind."""
