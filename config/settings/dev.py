"""Local development and `make run`: SQLite, demo data allowed, console e-mail."""

from .base import *

DEBUG = env_bool("DEBUG", True)
COVENANT_DEMO = env_bool("COVENANT_DEMO", True)
