"""Notify's checks of what a request carries, each testable without HTTP.

Phone numbers, email addresses, postal addresses and countries, files sent by email, UUIDs, and
the request schemas with Notify's exact messages. May import ``domain`` only.
"""
