"""The simulator's state and how it moves: the thread-safe ``store``, the simulated ``clock``,
status ``lifecycle``, rate and daily ``limits``, ``callbacks``, ``costs``, letter delivery
estimates, and the JSON shapes of what is stored (``serialise``).

May import ``data``, ``checks``, ``rendering`` and ``domain``; never ``api`` or ``web``.
"""
