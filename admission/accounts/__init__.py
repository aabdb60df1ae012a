"""Signing in: the second factor (TOTP and recovery codes, remembered browsers), expiring API tokens per device,
and the login lockout per account and per address. Its own Django app (label `accounts`) with its own tables."""
