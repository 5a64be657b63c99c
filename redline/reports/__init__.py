"""Transparency reports over a closed period: for platforms (media) and licensing offices.

    media_report(context, start, end) -> dict        licensing_report(context, start, end) -> dict
    render_html(report) / render_html_body(report) -> str
    render_csv(report) -> str                        render_pdf(report) -> bytes
"""

from redline.reports.licensing import licensing_report
from redline.reports.media import media_report
from redline.reports.period import Period, ReportError, period
from redline.reports.render import render_csv, render_html, render_html_body, render_pdf

REPORTS = {"media": media_report, "licensing": licensing_report}

__all__ = ["REPORTS", "Period", "ReportError", "licensing_report", "media_report", "period", "render_csv",
           "render_html", "render_html_body", "render_pdf"]
