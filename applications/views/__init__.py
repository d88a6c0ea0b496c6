"""Dossier pages, one module per audience of the same feature; each lists its `urlpatterns`."""
