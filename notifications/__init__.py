"""The outbox: every email of the platform, stored, then delivered by the task queue with retries.

A low app: it imports no project app. The apps above call `outbox.queue_email`; the organisers'
page listing failed emails lives in contests/views/outbox.py, which names its own permission.
"""
