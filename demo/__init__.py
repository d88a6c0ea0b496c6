"""The demo data of `seed_demo`: one module per contest's demo and per stage.

It sits above every app (like catalogue and opendata): it builds editions through the domain
functions of all of them, so no domain app imports it.
"""
