"""Reading a file: workbooks and CSV as sheets of cells (``sources``), then the header
(``header``), the list's metadata (``metadata``) and its kind (``kind``), put together by
``detect`` as a ``Detection`` (``detection``) the user can correct."""
