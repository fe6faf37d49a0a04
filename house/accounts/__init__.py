"""Accounts: people who sign in, their roles, sessions, invites and login throttling."""
