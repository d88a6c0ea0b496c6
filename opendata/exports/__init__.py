"""The organisers' exports: tables as CSV or XLSX (tables.py), an edition's results
(results.py), a dossier's files as one ZIP (dossier_zip.py)."""
