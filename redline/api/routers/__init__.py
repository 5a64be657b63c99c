"""One router per resource; each parses, calls a domain function, and shapes the answer."""
