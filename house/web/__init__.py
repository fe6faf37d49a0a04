"""HTTP plumbing: sessions, access, htmx, errors, security headers. No domain rules."""
