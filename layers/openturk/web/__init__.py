"""The worker web app: server-rendered pages over the same domain functions as the worker API."""
