"""Development: DEBUG on, e-mail to the console."""
from logistics.settings.base import *  # noqa: F401,F403
from logistics.settings.base import env

DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
