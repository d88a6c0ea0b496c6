"""The production settings plus the rush's server clock (bench/_rush_clock.py), outermost."""

from palmares.settings import *  # noqa: F403
from palmares.settings import MIDDLEWARE

MIDDLEWARE = ["bench._rush_clock.ServerClock", *MIDDLEWARE]
