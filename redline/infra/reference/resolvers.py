"""Public DNS resolvers: anycast addresses that sit inside a provider's wider ranges but are a
service of their own. 8.8.8.8 is Google Public DNS, not a Google CDN edge, and a site never
"is served" by it. The addresses are the ones each operator documents for its resolver."""

from __future__ import annotations

# (address or prefix, provider, documentation)
RESOLVERS: tuple[tuple[str, str, str], ...] = (
    ("8.8.8.8/32", "Google Public DNS", "https://developers.google.com/speed/public-dns/docs/using"),
    ("8.8.4.4/32", "Google Public DNS", "https://developers.google.com/speed/public-dns/docs/using"),
    ("2001:4860:4860::8888/128", "Google Public DNS", "https://developers.google.com/speed/public-dns/docs/using"),
    ("2001:4860:4860::8844/128", "Google Public DNS", "https://developers.google.com/speed/public-dns/docs/using"),
    ("1.1.1.1/32", "Cloudflare DNS (1.1.1.1)", "https://developers.cloudflare.com/1.1.1.1/ip-addresses/"),
    ("1.0.0.1/32", "Cloudflare DNS (1.1.1.1)", "https://developers.cloudflare.com/1.1.1.1/ip-addresses/"),
    ("1.1.1.2/32", "Cloudflare DNS (1.1.1.1)", "https://developers.cloudflare.com/1.1.1.1/ip-addresses/"),
    ("1.0.0.2/32", "Cloudflare DNS (1.1.1.1)", "https://developers.cloudflare.com/1.1.1.1/ip-addresses/"),
    ("1.1.1.3/32", "Cloudflare DNS (1.1.1.1)", "https://developers.cloudflare.com/1.1.1.1/ip-addresses/"),
    ("1.0.0.3/32", "Cloudflare DNS (1.1.1.1)", "https://developers.cloudflare.com/1.1.1.1/ip-addresses/"),
    ("2606:4700:4700::1111/128", "Cloudflare DNS (1.1.1.1)", "https://developers.cloudflare.com/1.1.1.1/ip-addresses/"),
    ("2606:4700:4700::1001/128", "Cloudflare DNS (1.1.1.1)", "https://developers.cloudflare.com/1.1.1.1/ip-addresses/"),
    ("9.9.9.9/32", "Quad9", "https://quad9.net/service/service-addresses-and-features/"),
    ("149.112.112.112/32", "Quad9", "https://quad9.net/service/service-addresses-and-features/"),
    ("2620:fe::fe/128", "Quad9", "https://quad9.net/service/service-addresses-and-features/"),
    ("2620:fe::9/128", "Quad9", "https://quad9.net/service/service-addresses-and-features/"),
    ("208.67.222.222/32", "Cisco OpenDNS", "https://www.opendns.com/setupguide/"),
    ("208.67.220.220/32", "Cisco OpenDNS", "https://www.opendns.com/setupguide/"),
    ("2620:119:35::35/128", "Cisco OpenDNS", "https://www.opendns.com/setupguide/"),
    ("2620:119:53::53/128", "Cisco OpenDNS", "https://www.opendns.com/setupguide/"),
)
