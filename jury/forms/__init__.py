"""Forms of the jury pages, one module per feature of jury/views."""
