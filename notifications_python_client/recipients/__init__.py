"""Notify's rules for recipients: phone numbers, email addresses, postal addresses, countries.

Pure functions with Notify's exact messages, shared by the simulator (which applies them to
each request) and bulk sending (which applies them to every row before anything is sent).
Imports nothing else from this package; phone numbers need ``phonenumbers`` (an extra).
"""
