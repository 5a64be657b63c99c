"""Infrastructure exposure: which providers serve (or are merely embedded by) a domain.

Collectors (DNS, TLS, HTTP, HTML) record observations; attribution maps them to providers with the
reference data under REDLINE_DATA/infra; owners are screened with the parties engine.
"""
