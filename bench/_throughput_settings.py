"""The production settings plus one URL: the hello-world view bench/throughput.py compares with.

Only the URL configuration changes, so the hello-world answer goes through the same middleware
(sessions, CSRF, CSP, GZip…) as every page of the site.
"""

from palmares.settings import *  # noqa: F403

ROOT_URLCONF = "bench._throughput_urls"
