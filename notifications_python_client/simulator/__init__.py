"""A local GOV.UK Notify: a simulator of the Notify v2 API for offline tests."""
