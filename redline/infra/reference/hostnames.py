"""Hostname → provider rules for CNAME targets, name servers, mail exchangers, SPF includes and embedded hosts.

Two sources: cdncheck's `common` CNAME suffix lists (MIT), and the curated table below (authored for
Redline from the providers' own documentation of the names they hand out). A rule names the contexts
it holds in: `cloudflare.com` as a name server means Cloudflare DNS, as a script host it means cdnjs.
The longest matching suffix wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CONTEXTS = ("cname", "ns", "mx", "spf", "embed")


@dataclass(frozen=True)
class HostRule:
    pattern: str          # a DNS suffix ("cloudfront.net") or a regex when it starts with "re:"
    provider: str
    service: str
    contexts: tuple[str, ...]
    source: str


_ANY_SERVING = ("cname", "embed")

CURATED: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    # Amazon
    ("cloudfront.net", "Amazon CloudFront", "cdn", _ANY_SERVING),
    ("amazonaws.com", "Amazon Web Services", "cloud", _ANY_SERVING),
    ("s3.amazonaws.com", "Amazon S3", "cloud", _ANY_SERVING),
    ("elb.amazonaws.com", "Amazon Web Services", "cloud", _ANY_SERVING),
    ("awsglobalaccelerator.com", "AWS Global Accelerator", "cdn", _ANY_SERVING),
    ("re:(^|\\.)awsdns-\\d+\\.(com|net|org|co\\.uk)$", "Amazon Route 53", "dns", ("ns",)),
    ("amazonses.com", "Amazon SES", "mail", ("mx", "spf")),
    ("awsapps.com", "Amazon Web Services", "mail", ("mx",)),
    # Microsoft
    ("azureedge.net", "Azure CDN", "cdn", _ANY_SERVING),
    ("azurefd.net", "Azure Front Door", "cdn", _ANY_SERVING),
    ("azurewebsites.net", "Microsoft Azure", "cloud", _ANY_SERVING),
    ("cloudapp.net", "Microsoft Azure", "cloud", _ANY_SERVING),
    ("cloudapp.azure.com", "Microsoft Azure", "cloud", _ANY_SERVING),
    ("blob.core.windows.net", "Microsoft Azure", "cloud", _ANY_SERVING),
    ("trafficmanager.net", "Azure Traffic Manager", "dns", ("cname",)),
    ("re:(^|\\.)azure-dns\\.(com|net|org|info)$", "Azure DNS", "dns", ("ns",)),
    ("mail.protection.outlook.com", "Microsoft 365 / Exchange Online", "mail", ("mx",)),
    ("spf.protection.outlook.com", "Microsoft 365 / Exchange Online", "mail", ("spf",)),
    ("outlook.com", "Microsoft 365 / Exchange Online", "mail", ("mx", "spf")),
    ("ajax.aspnetcdn.com", "Microsoft Ajax CDN", "scripts", ("embed",)),
    ("github.io", "GitHub", "hosting", _ANY_SERVING),
    # Google
    ("ghs.googlehosted.com", "Google", "hosting", ("cname",)),
    ("googlehosted.com", "Google", "hosting", _ANY_SERVING),
    ("appspot.com", "Google Cloud", "cloud", _ANY_SERVING),
    ("googleusercontent.com", "Google Cloud", "cloud", _ANY_SERVING),
    ("storage.googleapis.com", "Google Cloud", "cloud", _ANY_SERVING),
    ("web.app", "Google Cloud", "hosting", _ANY_SERVING),
    ("firebaseapp.com", "Google Cloud", "hosting", _ANY_SERVING),
    ("re:^ns-cloud-[a-e]\\d+\\.googledomains\\.com$", "Google Cloud DNS", "dns", ("ns",)),
    ("google.com", "Google Workspace", "mail", ("mx",)),
    ("googlemail.com", "Google Workspace", "mail", ("mx",)),
    ("_spf.google.com", "Google Workspace", "mail", ("spf",)),
    ("fonts.googleapis.com", "Google Fonts", "fonts", ("embed",)),
    ("fonts.gstatic.com", "Google Fonts", "fonts", ("embed",)),
    ("ajax.googleapis.com", "Google Hosted Libraries", "scripts", ("embed",)),
    ("googletagmanager.com", "Google Tag Manager", "tag_manager", ("embed",)),
    ("google-analytics.com", "Google Analytics", "analytics", ("embed",)),
    ("googlesyndication.com", "Google Ads", "advertising", ("embed",)),
    ("doubleclick.net", "Google Ads", "advertising", ("embed",)),
    ("recaptcha.net", "Google", "scripts", ("embed",)),
    ("gstatic.com", "Google", "scripts", ("embed",)),
    ("www.google.com", "Google", "scripts", ("embed",)),
    ("maps.googleapis.com", "Google", "scripts", ("embed",)),
    ("youtube.com", "YouTube", "video", ("embed",)),
    ("youtube-nocookie.com", "YouTube", "video", ("embed",)),
    ("ytimg.com", "YouTube", "video", ("embed",)),
    # Cloudflare
    ("cdn.cloudflare.net", "Cloudflare", "cdn", ("cname",)),
    ("ns.cloudflare.com", "Cloudflare DNS", "dns", ("ns",)),
    ("cdnjs.cloudflare.com", "cdnjs (Cloudflare)", "scripts", ("embed",)),
    ("pages.dev", "Cloudflare", "hosting", _ANY_SERVING),
    ("workers.dev", "Cloudflare", "hosting", _ANY_SERVING),
    # Fastly, Akamai, others
    ("fastly.net", "Fastly", "cdn", _ANY_SERVING),
    ("fastlylb.net", "Fastly", "cdn", _ANY_SERVING),
    ("akamaized.net", "Akamai", "cdn", _ANY_SERVING),
    ("akam.net", "Akamai DNS", "dns", ("ns",)),
    ("akamaistream.net", "Akamai", "cdn", _ANY_SERVING),
    ("edgesuite.net", "Akamai", "cdn", _ANY_SERVING),
    ("stackpathdns.com", "StackPath", "cdn", _ANY_SERVING),
    ("stackpathcdn.com", "StackPath", "cdn", _ANY_SERVING),
    ("bootstrapcdn.com", "StackPath", "scripts", ("embed",)),
    ("incapdns.net", "Imperva Incapsula", "waf", ("cname",)),
    ("domaincontrol.com", "GoDaddy DNS", "dns", ("ns",)),
    ("secureserver.net", "GoDaddy", "hosting", ("cname", "mx", "spf")),
    ("ultradns.com", "Vercara UltraDNS", "dns", ("ns",)),
    ("ultradns.net", "Vercara UltraDNS", "dns", ("ns",)),
    ("ultradns.org", "Vercara UltraDNS", "dns", ("ns",)),
    ("ultradns.biz", "Vercara UltraDNS", "dns", ("ns",)),
    ("dynect.net", "Oracle Dyn", "dns", ("ns",)),
    ("nsone.net", "NS1", "dns", ("ns",)),
    ("sendgrid.net", "SendGrid", "mail", ("mx", "spf", "cname")),
    ("mailgun.org", "Mailgun", "mail", ("mx", "spf")),
    ("jsdelivr.net", "jsDelivr", "scripts", ("embed",)),
    ("connect.facebook.net", "Facebook", "social", ("embed",)),
    ("facebook.net", "Facebook", "social", ("embed",)),
    ("facebook.com", "Facebook", "social", ("embed",)),
    ("fbcdn.net", "Facebook", "social", ("embed",)),
    ("platform.twitter.com", "Twitter", "social", ("embed",)),
    ("twitter.com", "Twitter", "social", ("embed",)),
    ("twimg.com", "Twitter", "social", ("embed",)),
    # Chinese providers
    ("alicdn.com", "Alibaba Cloud CDN", "cdn", _ANY_SERVING),
    ("aliyuncs.com", "Alibaba Cloud", "cloud", _ANY_SERVING),
    ("alikunlun.com", "Alibaba Cloud CDN", "cdn", _ANY_SERVING),
    ("alidns.com", "Alibaba Cloud DNS", "dns", ("ns",)),
    ("hichina.com", "Alibaba Cloud DNS", "dns", ("ns",)),
    ("mxhichina.com", "Alibaba Mail", "mail", ("mx", "spf")),
    ("qiye.aliyun.com", "Alibaba Mail", "mail", ("mx", "spf")),
    ("aliyun.com", "Alibaba Cloud", "cloud", ("spf",)),
    ("dnspod.net", "Tencent DNSPod", "dns", ("ns",)),
    ("re:(^|\\.)dnsv\\d\\.(com|net)$", "Tencent DNSPod", "dns", ("ns",)),
    ("qq.com", "Tencent Exmail", "mail", ("mx", "spf")),
    ("myqcloud.com", "Tencent Cloud", "cloud", _ANY_SERVING),
    ("tencent-cloud.net", "Tencent Cloud", "cloud", _ANY_SERVING),
    ("cdn.dnsv1.com", "Tencent Cloud", "cdn", ("cname",)),
    ("huaweicloud.com", "Huawei Cloud", "cloud", _ANY_SERVING),
    ("hwclouds-dns.com", "Huawei Cloud", "dns", ("ns",)),
    ("hwclouds-dns.net", "Huawei Cloud", "dns", ("ns",)),
    ("bdydns.com", "Baidu Cloud", "cdn", ("cname",)),
)


@dataclass
class HostMatch:
    provider: str
    service: str
    pattern: str
    source: str


class HostnameRules:
    def __init__(self, rules: list[HostRule]) -> None:
        self._suffix: dict[str, dict[str, HostRule]] = {ctx: {} for ctx in CONTEXTS}
        self._regex: dict[str, list[tuple[re.Pattern[str], HostRule]]] = {ctx: [] for ctx in CONTEXTS}
        for rule in rules:  # earlier rules win: curated rules are added before cdncheck's
            for ctx in rule.contexts:
                if rule.pattern.startswith("re:"):
                    self._regex[ctx].append((re.compile(rule.pattern[3:]), rule))
                else:
                    self._suffix[ctx].setdefault(rule.pattern.lower().strip("."), rule)
        self.count = len(rules)

    def match(self, host: str, context: str) -> HostMatch | None:
        host = host.lower().rstrip(".")
        suffixes = self._suffix[context]
        labels = host.split(".")
        for i in range(len(labels)):
            rule = suffixes.get(".".join(labels[i:]))
            if rule is not None:
                return HostMatch(rule.provider, rule.service, rule.pattern, rule.source)
        for regex, rule in self._regex[context]:
            if regex.search(host):
                return HostMatch(rule.provider, rule.service, rule.pattern, rule.source)
        return None


def curated_rules() -> list[HostRule]:
    return [HostRule(p, prov, svc, ctx, "redline-curated") for p, prov, svc, ctx in CURATED]


def cdncheck_rules(common: dict[str, list[str]]) -> list[HostRule]:
    from redline.infra.reference.providers import resolve

    rules = []
    for key, suffixes in common.items():
        service = "waf" if "WAF" in key.upper() or "盾" in key else "cdn"
        provider = resolve(key, service)
        for suffix in suffixes:
            rules.append(HostRule(suffix, provider.name, service, ("cname", "embed"), f"cdncheck common/{key}"))
    return rules
