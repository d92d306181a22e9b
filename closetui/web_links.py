"""Where a record lives in the Close web app: the lead page that shows an opportunity."""

from __future__ import annotations

from urllib.parse import quote

DEFAULT_WEB_URL = "https://app.close.com/"
"""Close's web app; a profile's ``web_url`` replaces it (e.g. for another region)."""


def lead_url(web_url: str, lead_id: str) -> str:
    """The web page of a lead, which lists its opportunities: ``{web_url}lead/{id}/``.

    Close's web app has no page of its own for one opportunity that is documented; its
    lead page (the ``html_url`` of a lead in the API) shows every opportunity of the lead.
    """
    root = web_url if web_url.endswith("/") else web_url + "/"
    return f"{root}lead/{quote(lead_id, safe='')}/"
