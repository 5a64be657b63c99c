"""IP → provider lookup speed over every loaded range (real data), against two baselines in the same run.

baseline A: a naive loop with the standard library's `ipaddress` over every prefix (what a first script does);
baseline B: the classic per-prefix-length dict (mask the address for each length, look it up).
Run: .venv/bin/python benchmarks/infra_iplookup.py [N]
"""

from __future__ import annotations

import ipaddress
import random
import sys
import time
from pathlib import Path

import numpy as np

from redline.config import load_settings
from redline.infra.reference import load_reference


def main(n: int = 1_000_000) -> None:
    settings = load_settings()
    ref = load_reference(settings.data("infra"), settings.cache_dir)
    rng = random.Random(1)
    cidrs = [c.decode() for c in ref.record_cidr]
    v4 = [ipaddress.ip_network(c, strict=False) for c in cidrs if ":" not in c]
    # half the probes inside published ranges, half anywhere
    inside = [int(net.network_address) + rng.randrange(net.num_addresses) for net in rng.choices(v4, k=n // 2)]
    anywhere = [rng.randrange(2**32) for _ in range(n - n // 2)]
    ints = np.array(inside + anywhere, dtype=np.uint32)
    strings = [str(ipaddress.IPv4Address(int(x))) for x in ints[:200_000]]

    t = time.perf_counter()
    records = ref.table.lookup_v4_ints(ints)
    vec = n / (time.perf_counter() - t)
    t = time.perf_counter()
    ref.table.lookup_many(strings)
    vec_str = len(strings) / (time.perf_counter() - t)

    v6_nets = [ipaddress.ip_network(c, strict=False) for c in cidrs if ":" in c]
    v6 = [str(ipaddress.IPv6Address(int(net.network_address) + rng.randrange(min(net.num_addresses, 2**64))))
          for net in rng.choices(v6_nets, k=100_000)]
    t = time.perf_counter()
    ref.table.lookup_many(v6)
    vec6 = len(v6) / (time.perf_counter() - t)

    # baseline A: naive loop, on a small sample (it is O(prefixes) per address)
    sample = [ipaddress.IPv4Address(int(x)) for x in ints[:20]]
    t = time.perf_counter()
    for addr in sample:
        best = None
        for net in v4:
            if addr in net and (best is None or net.prefixlen > best.prefixlen):
                best = net
    naive = len(sample) / (time.perf_counter() - t)

    # baseline B: dict per prefix length
    by_len: dict[int, set[int]] = {}
    for net in v4:
        by_len.setdefault(net.prefixlen, set()).add(int(net.network_address))
    lengths = sorted(by_len, reverse=True)
    masks = {length: (0xFFFFFFFF << (32 - length)) & 0xFFFFFFFF for length in lengths}
    probe = [int(x) for x in ints[:200_000]]
    t = time.perf_counter()
    for x in probe:
        for length in lengths:
            if x & masks[length] in by_len[length]:
                break
    dict_rate = len(probe) / (time.perf_counter() - t)

    hits = int((records >= 0).sum())
    print(f"ranges: {len(cidrs)} prefixes -> {ref.table.segments} segments; {hits}/{n} probes matched")
    print(f"numpy searchsorted, uint32 batch      : {vec:>14,.0f} lookups/s")
    print(f"numpy searchsorted, from IPv4 strings  : {vec_str:>14,.0f} lookups/s")
    print(f"numpy searchsorted, from IPv6 strings  : {vec6:>14,.0f} lookups/s")
    print(f"baseline A naive ipaddress loop        : {naive:>14,.1f} lookups/s  (ratio {vec / naive:,.0f}x)")
    print(f"baseline B dict per prefix length      : {dict_rate:>14,.0f} lookups/s  (ratio {vec / dict_rate:,.1f}x)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
    del Path
