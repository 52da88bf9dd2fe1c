"""The portfolio stores nothing of its own: it reads audits, releases and proposals."""
