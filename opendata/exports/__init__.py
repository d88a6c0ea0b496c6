"""The organisers' exports, all here: one CSV writer and one XLSX writer (tables.py) for an
edition's dossiers (dossiers.py), its results (results.py) and a round's evaluations
(evaluations.py); a dossier's files as one ZIP (dossier_zip.py). Their views are
opendata/views/exports.py."""
