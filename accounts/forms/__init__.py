"""Forms of the accounts pages, one module per feature of accounts/views."""
