"""Printing a document with WeasyPrint, the way the submission receipt does.

Uses the shared printing helper (palmares.pdf): the shipped font, loaded from the disk
by a fetcher that refuses any other URL, since documents print names and titles typed by
applicants. Official documents of a French label are always written in French.
"""

from palmares.pdf import DOCUMENT_LANGUAGE
from palmares.pdf import render_pdf as print_pdf

__all__ = ["DOCUMENT_LANGUAGE", "PDF_TYPE", "render_pdf"]
PDF_TYPE = "application/pdf"
STYLESHEET = "awards/documents/document.css"


def render_pdf(template: str, context: dict[str, object]) -> bytes:
    """`template` rendered in French with the documents' stylesheet, as PDF bytes."""
    return print_pdf(template, context, STYLESHEET)
