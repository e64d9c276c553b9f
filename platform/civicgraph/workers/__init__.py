"""Celery: the app, the tasks, and how the web app sends work to them."""
