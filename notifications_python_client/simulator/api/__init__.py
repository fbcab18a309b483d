"""The v2 API's handlers: one ``on_<route>`` function per route, grouped by resource, with the
authentication every route runs first (``auth``), the steps every send shares (``sending``),
and what a handler is given (``context``).

Handlers take a ``Context`` and return a Werkzeug ``Response``. May import ``state`` and the
layers below it; never ``web``.
"""
