"""Config for Tortoise's own CLI (`tortoise makemigrations`); the app builds its own."""

from app.db import tortoise_config
from app.settings import Settings

TORTOISE_ORM = tortoise_config(Settings().resolved_database_url)
