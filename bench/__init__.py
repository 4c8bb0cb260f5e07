"""`make bench`: openturk's performance figures, each printed next to its target.

Measurements, not tests: nothing here fails on a timing. Run `python -m bench` from the project root;
the figures are printed and written to .bench/results.json. The modules:

- stats.py ........ medians, percentiles and the summary table
- runtime.py ...... the in-process local runtime, requesters, workers, direct seeding of HITs
- counting.py ..... DynamoDB requests per call, counted in the runtime's process
- loadgen.py ...... the worker load generator (stdlib only: it runs in separate processes)
- throughput.py ... accept+submit cycles per second, one worker and four concurrent workers
- operations.py ... per-operation latency and DynamoDB requests
- scale.py ........ cost with 100 and with 20,000 HITs stored
- profile.py ...... where the time of one accept+submit goes, by layer
- imports.py ...... cold import time of each handler
- serve.py ........ `openturk serve` readiness, and whether stopping it leaves DynamoDB Local behind
"""
