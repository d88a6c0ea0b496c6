"""Accounts pages, one module per feature; accounts/urls.py lists their URLs."""
