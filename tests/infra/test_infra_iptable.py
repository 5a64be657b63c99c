"""The interval IP table against a naive ipaddress scan, and against the real published ranges."""

from __future__ import annotations

import ipaddress
import random

from redline.infra.reference.iptable import NO_MATCH, IPTable


def naive(nets: list, ranks: list[int], ip: str) -> int:
    """The baseline: try every network with the standard library."""
    addr = ipaddress.ip_address(ip)
    best = None
    for i, net in enumerate(nets):
        if addr.version == net.version and addr in net:
            key = (net.prefixlen, ranks[i], -i)
            if best is None or key > best[0]:
                best = (key, i)
    return NO_MATCH if best is None else best[1]


def test_flattened_table_agrees_with_naive_scan_on_random_nested_prefixes() -> None:
    rng = random.Random(7)
    cidrs: list[str] = []
    ranks: list[int] = []
    for _ in range(400):
        base = rng.randrange(0, 2**32)
        length = rng.choice([8, 12, 16, 20, 24, 28, 32])
        cidrs.append(str(ipaddress.ip_network((base, length), strict=False)))
        ranks.append(rng.randrange(3))
    for _ in range(60):
        base = rng.randrange(0, 2**128)
        length = rng.choice([24, 32, 48, 64, 96, 128])
        cidrs.append(str(ipaddress.ip_network((base, length), strict=False)))
        ranks.append(rng.randrange(3))
    cidrs += ["10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "10.1.2.0/24"]
    ranks += [0, 0, 0, 2]  # same prefix twice: the better rank wins
    table, bad = IPTable.build(cidrs, ranks)
    assert bad == []
    probes = ["10.1.2.3", "10.1.3.3", "10.2.0.1", "11.0.0.1", "0.0.0.0", "255.255.255.255"]
    for cidr in rng.sample(cidrs, 150):
        net = ipaddress.ip_network(cidr)
        probes += [str(net.network_address), str(net.broadcast_address),
                   str(net.network_address + rng.randrange(net.num_addresses))]
        if int(net.network_address) > 0:
            probes.append(str(net.network_address - 1))
    probes += [str(ipaddress.ip_address(rng.randrange(2**32))) for _ in range(300)]
    got = table.lookup_many(probes)
    nets = [ipaddress.ip_network(c, strict=False) for c in cidrs]
    for ip, record in zip(probes, got):
        expected = naive(nets, ranks, ip)
        if expected == NO_MATCH:
            assert record == NO_MATCH, ip
        else:  # equal prefixes may differ in index but not in the CIDR or rank chosen
            assert (cidrs[record], ranks[record]) == (cidrs[expected], ranks[expected]), ip
    assert table.lookup("10.1.2.3") == len(cidrs) - 1
    assert table.lookup("not an ip") == NO_MATCH


def test_real_ranges_most_specific_service_wins(ref) -> None:  # type: ignore[no-untyped-def]
    # 13.32.0.0/15 is listed by AWS as AMAZON and as CLOUDFRONT: the specific service tag wins
    cloudfront, google, cloudflare6, fastly6, nothing = ref.lookup_ips(
        ["13.32.1.5", "8.8.8.9", "2606:4700::6810:1", "2a04:4e42::1", "192.0.2.1"])
    assert (cloudfront.provider, cloudfront.cidr, cloudfront.source) == ("Amazon CloudFront", "13.32.0.0/15", "aws")
    assert (google.provider, google.service) == ("Google", "network")  # 8.8.8.8 itself is the resolver
    assert (cloudflare6.provider, cloudflare6.cidr) == ("Cloudflare", "2606:4700::/32")
    assert fastly6.provider == "Fastly"
    assert nothing is None


def test_official_feed_beats_derived_list_for_the_same_prefix(ref) -> None:  # type: ignore[no-untyped-def]
    # Alibaba's ranges exist only as an ASN-derived list; AWS's own feed outranks the mirror copy
    [alibaba] = ref.lookup_ips(["47.74.0.1"])
    assert alibaba is not None and alibaba.provider == "Alibaba Cloud"
    [aws] = ref.lookup_ips(["3.5.140.1"])
    assert aws.source == "aws"
