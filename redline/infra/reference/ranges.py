"""Readers for the published IP range files: each yields (cidr, provider, service, tag) rows.

One reader a feed format. The rank says which source wins when two give the very same prefix:
an official provider feed beats cdncheck's compiled lists, which beat ASN-derived lists, and a
specific service tag (CLOUDFRONT, AzureFrontDoor) beats the provider-wide one (AMAZON, AzureCloud).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from redline.infra.reference.providers import resolve

Row = tuple[str, str, str, str]  # cidr, provider, service, tag

OFFICIAL, CDNCHECK, DERIVED = 4, 2, 0


@dataclass(frozen=True)
class RangeSource:
    key: str
    relpath: str
    reader: Callable[[Path], Iterator[Row]]
    rank: int
    url: str


def _aws(path: Path) -> Iterator[Row]:
    data = orjson.loads(path.read_bytes())
    mapping = {
        "CLOUDFRONT": "Amazon CloudFront", "CLOUDFRONT_ORIGIN_FACING": "Amazon CloudFront",
        "ROUTE53": "Amazon Route 53", "ROUTE53_HEALTHCHECKS": "Amazon Route 53",
        "ROUTE53_RESOLVER": "Amazon Route 53", "ROUTE53_HEALTHCHECKS_PUBLISHING": "Amazon Route 53",
        "S3": "Amazon S3", "GLOBALACCELERATOR": "AWS Global Accelerator",
    }
    for key, field in (("prefixes", "ip_prefix"), ("ipv6_prefixes", "ipv6_prefix")):
        for item in data.get(key, []):
            tag = item.get("service", "AMAZON")
            provider = resolve(mapping.get(tag, "Amazon Web Services"))
            yield item[field], provider.name, provider.service, f"{tag} {item.get('region', '')}".strip()


def _azure(path: Path) -> Iterator[Row]:
    data = orjson.loads(path.read_bytes())
    for value in data.get("values", []):
        props = value.get("properties", {})
        system = props.get("systemService", "") or ""
        name = value.get("name", "")
        if system == "AzureFrontDoor":
            provider = resolve("Azure Front Door")
        elif system == "AzureTrafficManager":
            provider = resolve("Azure Traffic Manager")
        elif system == "EOPExtPublished":
            provider = resolve("Microsoft 365 / Exchange Online")
        else:
            provider = resolve("Microsoft Azure")
        for prefix in props.get("addressPrefixes", []):
            yield prefix, provider.name, provider.service, name


def _google_cloud(path: Path) -> Iterator[Row]:
    data = orjson.loads(path.read_bytes())
    for item in data.get("prefixes", []):
        prefix = item.get("ipv4Prefix") or item.get("ipv6Prefix")
        if prefix:
            yield prefix, "Google Cloud", "cloud", item.get("scope", "")


def _oracle(path: Path) -> Iterator[Row]:
    data = orjson.loads(path.read_bytes())
    for region in data.get("regions", []):
        for item in region.get("cidrs", []):
            yield item["cidr"], "Oracle Cloud", "cloud", f"{'/'.join(item.get('tags', []))} {region.get('region', '')}"


def _plain_list(provider_name: str) -> Callable[[Path], Iterator[Row]]:
    def read(path: Path) -> Iterator[Row]:
        provider = resolve(provider_name)
        for line in path.read_text(encoding="utf-8").splitlines():
            cidr = line.split(",")[0].strip()
            if cidr and not cidr.startswith("#"):
                yield cidr, provider.name, provider.service, ""
    return read


def _fastly(path: Path) -> Iterator[Row]:
    data = orjson.loads(path.read_bytes())
    for prefix in data.get("addresses", []) + data.get("ipv6_addresses", []):
        yield prefix, "Fastly", "cdn", ""


_GITHUB_KEYS = ("hooks", "web", "api", "git", "pages", "importer", "packages")  # not actions: those are Azure VMs


def _github(path: Path) -> Iterator[Row]:
    data = orjson.loads(path.read_bytes())
    for key in _GITHUB_KEYS:
        for prefix in data.get(key, []):
            yield prefix, "GitHub", "hosting", key


def _zscaler(path: Path) -> Iterator[Row]:
    data = orjson.loads(path.read_bytes())
    for prefix in data.get("hubPrefixes", []):
        yield prefix, "Zscaler", "waf", "hub"


_CDNCHECK_SERVICE = {"cdn": "cdn", "waf": "waf", "cloud": "cloud"}


def _cdncheck(path: Path) -> Iterator[Row]:
    data = orjson.loads(path.read_bytes())
    for group in ("cdn", "waf", "cloud"):
        for key, prefixes in data.get(group, {}).items():
            provider = resolve(key, _CDNCHECK_SERVICE[group])
            service = _CDNCHECK_SERVICE[group] if group != "cloud" else provider.service
            if key == "office365":
                provider, service = resolve("office365"), "mail"
            elif group == "cdn" and provider.service != "cdn":
                service = provider.service  # a provider's own network filed under cdn (Google's goog ranges)
            for prefix in prefixes:
                yield prefix, provider.name, service, f"cdncheck {group}/{key}"


# ASN-derived and crawler lists are not hosting: leave them out.
_DISPOSABLE_SKIP = {"ahrefs", "bing-bot", "google-bot", "meta-crawler", "openai", "perplexity", "starlink", "telegram"}


def _disposable(path: Path) -> Iterator[Row]:
    data = orjson.loads(path.read_bytes())
    provider = resolve(path.stem)
    source = data.get("source")
    tag = ", ".join(source) if isinstance(source, list) else str(source or "")
    for prefix in data.get("ipv4", []) + data.get("ipv6", []):
        yield prefix, provider.name, provider.service, tag


def range_sources(infra_dir: Path) -> list[RangeSource]:
    official = "cloud_ip_ranges/official"
    sources = [
        RangeSource("aws", f"{official}/aws-ip-ranges.json", _aws, OFFICIAL, "https://ip-ranges.amazonaws.com/ip-ranges.json"),
        RangeSource("azure", f"{official}/microsoft-azure-ip-ranges.json", _azure, OFFICIAL,
                    "https://www.microsoft.com/en-us/download/details.aspx?id=56519"),
        RangeSource("google-cloud", f"{official}/google-cloud-ip-ranges.json", _google_cloud, OFFICIAL,
                    "https://www.gstatic.com/ipranges/cloud.json"),
        RangeSource("oracle", f"{official}/oracle-cloud-ip-ranges.json", _oracle, OFFICIAL,
                    "https://docs.oracle.com/iaas/tools/public_ip_ranges.json"),
        RangeSource("cloudflare-v4", f"{official}/cloudflare-v4-ip-ranges.txt", _plain_list("Cloudflare"), OFFICIAL,
                    "https://www.cloudflare.com/ips-v4"),
        RangeSource("cloudflare-v6", f"{official}/cloudflare-v6-ip-ranges.txt", _plain_list("Cloudflare"), OFFICIAL,
                    "https://www.cloudflare.com/ips-v6"),
        RangeSource("fastly", f"{official}/fastly-ip-ranges.json", _fastly, OFFICIAL, "https://api.fastly.com/public-ip-list"),
        RangeSource("akamai-v4", f"{official}/akamai-v4-ip-ranges.txt", _plain_list("Akamai"), OFFICIAL,
                    "Akamai origin IP ACL (techdocs.akamai.com)"),
        RangeSource("akamai-v6", f"{official}/akamai-v6-ip-ranges.txt", _plain_list("Akamai"), OFFICIAL,
                    "Akamai origin IP ACL (techdocs.akamai.com)"),
        RangeSource("digitalocean", f"{official}/digitalocean.csv", _plain_list("DigitalOcean"), OFFICIAL,
                    "https://digitalocean.com/geo/google.csv"),
        RangeSource("linode", f"{official}/linode.txt", _plain_list("Linode (Akamai)"), OFFICIAL,
                    "https://geoip.linode.com/"),
        RangeSource("github", f"{official}/github-ip-ranges.json", _github, OFFICIAL, "https://api.github.com/meta"),
        RangeSource("zscaler", f"{official}/zscaler-cloud-ip-ranges.json", _zscaler, OFFICIAL,
                    "https://config.zscaler.com/api/zscaler.net/future/json"),
        RangeSource("cdncheck-ranges", "cdncheck/sources_data.json", _cdncheck, CDNCHECK,
                    "https://github.com/projectdiscovery/cdncheck (sources_data.json)"),
    ]
    folder = infra_dir / "cloud_ip_ranges" / "aggregated_disposable"
    if folder.is_dir():
        for path in sorted(folder.glob("*.json")):
            if path.stem not in _DISPOSABLE_SKIP:
                sources.append(RangeSource(f"disposable-{path.stem}", str(path.relative_to(infra_dir)), _disposable,
                                           DERIVED, "https://github.com/disposable/cloud-ip-ranges"))
    return sources


def is_generic_tag(tag: str) -> bool:
    """Provider-wide tags lose to a service-specific tag for the very same prefix."""
    return tag.startswith("AMAZON") or tag.startswith("AzureCloud") or tag == ""


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
