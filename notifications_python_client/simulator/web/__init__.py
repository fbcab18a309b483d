"""The simulator's web layer: the URL map and dispatch (``app``), request reading and Notify's
response encoding (``requests``), and the threaded HTTP/1.1 server (``serving``).

The top layer inside the simulator: it may import ``api`` and everything below.
"""
