"""Piccolo's configuration: the engine comes from DATABASE_URL (see house/settings.py)."""

from piccolo.conf.apps import AppRegistry

from house.db import make_engine

DB = make_engine()

APP_REGISTRY = AppRegistry(apps=["house.piccolo_app"])
