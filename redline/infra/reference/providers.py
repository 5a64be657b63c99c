"""The provider registry: canonical names, the company behind each, its home country, its default service.

Authored for Redline (not copied): it joins the names used by the different sources (AWS service
tags, Azure service tags, cdncheck keys, webappanalyzer technology names) onto one provider name.
"""

from __future__ import annotations

from dataclasses import dataclass

# Services a provider can render to a domain.
SERVICES = (
    "cdn", "cloud", "hosting", "dns", "mail", "certificate_authority", "waf",
    "analytics", "fonts", "tag_manager", "scripts", "advertising", "social", "video",
)


@dataclass(frozen=True)
class Provider:
    name: str
    company: str
    country: str  # headquarters, ISO 3166-1 alpha-2 ("" when unknown)
    service: str


_REGISTRY: dict[str, Provider] = {}
_ALIASES: dict[str, str] = {}


def _add(name: str, company: str, country: str, service: str, *aliases: str) -> None:
    _REGISTRY[name] = Provider(name, company, country, service)
    for alias in (name, *aliases):
        _ALIASES[alias.casefold()] = name


_add("Amazon Web Services", "Amazon", "US", "cloud", "aws", "amazon", "Aws", "AMAZON", "EC2")
_add("Amazon CloudFront", "Amazon", "US", "cdn", "cloudfront", "CLOUDFRONT")
_add("Amazon S3", "Amazon", "US", "cloud", "S3")
_add("Amazon Route 53", "Amazon", "US", "dns", "ROUTE53", "route53")
_add("AWS Global Accelerator", "Amazon", "US", "cdn", "GLOBALACCELERATOR")
_add("Amazon SES", "Amazon", "US", "mail")
_add("Amazon Trust Services", "Amazon", "US", "certificate_authority", "AWS Certificate Manager")
_add("Microsoft Azure", "Microsoft", "US", "cloud", "azure", "Microsoft Azure", "microsoft-azure")
_add("Azure Front Door", "Microsoft", "US", "cdn", "AzureFrontDoor")
_add("Azure CDN", "Microsoft", "US", "cdn")
_add("Azure DNS", "Microsoft", "US", "dns")
_add("Azure Traffic Manager", "Microsoft", "US", "dns", "AzureTrafficManager")
_add("Microsoft 365 / Exchange Online", "Microsoft", "US", "mail", "office365", "Microsoft 365", "EOPExtPublished")
_add("Microsoft Ajax CDN", "Microsoft", "US", "scripts", "Microsoft Ajax Content Delivery Network")
_add("Google Cloud", "Google", "US", "cloud", "google-cloud", "Google Cloud")
# cdncheck files Google's own network (goog ranges: Search, APIs, Google Front End) under "cdn";
# it is not Google Cloud's customer space (cloud.json) and not a CDN a site buys.
_add("Google", "Google", "US", "network", "google")
_add("Google Public DNS", "Google", "US", "dns_resolver")
_add("Cloudflare DNS (1.1.1.1)", "Cloudflare", "US", "dns_resolver")
_add("Quad9", "Quad9 Foundation", "CH", "dns_resolver")
_add("Cisco OpenDNS", "Cisco", "US", "dns_resolver")
_add("Google Cloud DNS", "Google", "US", "dns")
_add("Google Workspace", "Google", "US", "mail", "Google Workspace", "Gmail")
_add("Google Trust Services", "Google", "US", "certificate_authority")
_add("Google Fonts", "Google", "US", "fonts", "Google Font API")
_add("Google Hosted Libraries", "Google", "US", "scripts")
_add("Google Analytics", "Google", "US", "analytics")
_add("Google Tag Manager", "Google", "US", "tag_manager")
_add("Google Ads", "Google", "US", "advertising", "Google AdSense", "DoubleClick for Publishers (DFP)")
_add("YouTube", "Google", "US", "video")
_add("Cloudflare", "Cloudflare", "US", "cdn", "cloudflare")
_add("Cloudflare DNS", "Cloudflare", "US", "dns")
_add("cdnjs (Cloudflare)", "Cloudflare", "US", "scripts", "cdnjs")
_add("Fastly", "Fastly", "US", "cdn", "fastly")
_add("Akamai", "Akamai", "US", "cdn", "akamai")
_add("Akamai DNS", "Akamai", "US", "dns")
_add("Linode (Akamai)", "Akamai", "US", "cloud", "linode", "Akamai Connected Cloud")
_add("Oracle Cloud", "Oracle", "US", "cloud", "oracle", "oracle-cloud", "OCI")
_add("Oracle Dyn", "Oracle", "US", "dns")
_add("IBM Cloud (SoftLayer)", "IBM", "US", "cloud", "softlayer-ibm")
_add("NS1", "IBM", "US", "dns")
_add("DigitalOcean", "DigitalOcean", "US", "cloud", "digitalocean")
_add("GitHub", "Microsoft", "US", "hosting", "github", "GitHub Pages")
_add("Zscaler", "Zscaler", "US", "waf", "zscaler")
_add("GoDaddy", "GoDaddy", "US", "hosting", "godaddy")
_add("GoDaddy DNS", "GoDaddy", "US", "dns")
_add("DreamHost", "DreamHost", "US", "hosting", "dreamhost")
_add("A2 Hosting", "A2 Hosting", "US", "hosting", "a2hosting")
_add("Rackspace", "Rackspace", "US", "hosting", "rackspace")
_add("Vultr", "Vultr", "US", "cloud", "vultr", "choopa")
_add("StackPath", "StackPath", "US", "cdn", "stackpath", "MaxCDN", "BootstrapCDN")
_add("Edgio (Edgecast)", "Edgio", "US", "cdn", "edgecast", "EdgeCast", "Edgio")
_add("Imperva Incapsula", "Imperva", "US", "waf", "incapsula", "Incapsula", "Imperva")
_add("Sucuri", "GoDaddy", "US", "waf", "Sucuri")
_add("Vercara UltraDNS", "Vercara", "US", "dns")
_add("DigiCert", "DigiCert", "US", "certificate_authority", "Thawte", "GeoTrust", "RapidSSL")
_add("Let's Encrypt", "ISRG", "US", "certificate_authority")
_add("Sectigo", "Sectigo", "GB", "certificate_authority")
_add("GlobalSign", "GMO GlobalSign", "BE", "certificate_authority")
_add("Entrust", "Entrust", "US", "certificate_authority")
_add("IdenTrust", "IdenTrust", "US", "certificate_authority", "Identrust")
_add("GoDaddy CA", "GoDaddy", "US", "certificate_authority")
_add("ZeroSSL", "Stack Holdings", "AT", "certificate_authority")
_add("TrustAsia", "TrustAsia", "CN", "certificate_authority")
_add("WoTrus", "WoTrus", "CN", "certificate_authority")
_add("CFCA", "China Financial Certification Authority", "CN", "certificate_authority")
_add("Microsoft CA", "Microsoft", "US", "certificate_authority")
_add("Cloudflare CA", "Cloudflare", "US", "certificate_authority")
_add("SendGrid", "Twilio", "US", "mail")
_add("Mailgun", "Sinch", "US", "mail")
_add("Facebook", "Meta", "US", "social")
_add("Twitter", "X Corp", "US", "social")
_add("jsDelivr", "jsDelivr", "", "scripts")
_add("Alibaba Cloud", "Alibaba", "CN", "cloud", "alibaba", "阿里云 CDN", "云盾", "云盾 CDN", "Alibaba Cloud Object Storage Service")
_add("Alibaba Cloud CDN", "Alibaba", "CN", "cdn")
_add("Alibaba Cloud DNS", "Alibaba", "CN", "dns")
_add("Alibaba Mail", "Alibaba", "CN", "mail")
_add("Tencent Cloud", "Tencent", "CN", "cloud", "tencent", "腾讯云", "腾讯云 CDN", "EdgeOne")
_add("Tencent DNSPod", "Tencent", "CN", "dns")
_add("Tencent Exmail", "Tencent", "CN", "mail")
_add("Huawei Cloud", "Huawei", "CN", "cloud", "huawei-cloud", "华为云 CDN", "华为云 WAF")
_add("Baidu Cloud", "Baidu", "CN", "cdn", "百度云加速")
_add("UCloud", "UCloud", "CN", "cloud", "ucloud")
_add("Wangsu (ChinaNetCenter)", "Wangsu", "CN", "cdn", "网宿 CDN", "Wangsu")
_add("Qiniu", "Qiniu", "CN", "cdn", "七牛云")
_add("JD Cloud", "JD.com", "CN", "cdn", "京东云 CDN")
_add("Baishan Cloud", "Baishan", "CN", "cdn", "白山云科技 CDN")
_add("Jiasule", "Jiasule", "CN", "cdn", "加速乐", "加速乐 CDN")
_add("Qihoo 360 CDN", "Qihoo 360", "CN", "cdn", "360 云 CDN (由奇虎 360 运营)", "360 云加速 CDN", "360 云 CDN (由奇安信运营)", "奇安信网站卫士", "网神 CDN")
_add("Gcore", "Gcore", "LU", "cdn", "gcore")
_add("Hetzner", "Hetzner", "DE", "hosting", "hetzner")
_add("OVHcloud", "OVH", "FR", "hosting", "ovh")
_add("Leaseweb", "Leaseweb", "NL", "hosting", "leaseweb")
_add("ArvanCloud", "ArvanCloud", "IR", "cdn", "arvancloud")
_add("Qrator", "Qrator Labs", "RU", "waf", "qrator")


def resolve(name: str, service: str | None = None) -> Provider:
    """The registry entry for any source's spelling; unknown names become a provider of their own."""
    canonical = _ALIASES.get(name.casefold())
    if canonical is not None:
        return _REGISTRY[canonical]
    return Provider(name, name, "", service or "cloud")


def all_providers() -> list[Provider]:
    return list(_REGISTRY.values())
_add("NFOrce", "NFOrce Entertainment", "NL", "hosting", "nforce")
_add("Scaleway (Online SAS)", "Iliad", "FR", "hosting", "onlinesas")
_add("Constant (Vultr/Choopa)", "Vultr", "US", "cloud")
_add("Korean clouds", "", "KR", "cloud")
