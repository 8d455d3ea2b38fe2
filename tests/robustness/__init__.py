"""Hostile-input tests: random bytes, odd names, zip bombs, links, script injection, full disk."""
