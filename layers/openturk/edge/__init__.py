"""The edge: wire protocols in and out (AWS JSON 1.1, the worker JSON API), signatures and tokens."""
