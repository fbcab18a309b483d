"""The client's core, shared by the sync client and its async twin: no I/O anywhere.

Nothing here opens a socket, sleeps or reads a clock of its own: it builds requests and judges
answers, and the drivers around it (``base.BaseAPIClient`` over requests, ``aio`` over aiohttp)
do the sending and the waiting. Modelled on h11 and Werkzeug's ``sansio``.

- ``endpoints``: one builder per API endpoint: the request a method makes.
- ``wire``: headers, the JSON body, tokens signed once a second, an answer judged (decoded, or
  the error its status calls for).
- ``retry_loop``: the retry policy's decisions for one call: retry, look up first, or give up.
- ``lookup``: a send recognised, and found again by its reference in a page of notifications.

An answer is held as a ``requests.Response``, the type the published error classes are built
around (``APIError.response``), whichever driver received it; this package never sends one.
"""
