"""The shared vocabularies of a licence application (see docs/licensing.md). A policy may add more."""

from __future__ import annotations

ITEM_CATEGORIES: tuple[str, ...] = (
    "intrusion_software_platform",
    "mobile_interception",
    "ip_network_surveillance",
    "le_monitoring_analysis_sw",
    "forensic_extraction",
    "us_crime_control",
    "facial_biometric_recognition",
    "video_analytics_smart_city",
    "social_media_osint_monitoring",
    "location_tracking",
    "lawful_interception_or_data_retention",
    "dpi_filtering_censorship",
    "general_ict",
    "hosting_cdn_email_services",
)

PARTY_TYPES: tuple[str, ...] = (
    "government_security",
    "government_civil",
    "state_owned_telecom",
    "private_telecom_isp",
    "security_integrator_reseller",
    "private_enterprise",
    "academic_research",
    "ngo_or_individual",
    "unknown",
)

PARTY_ROLES: tuple[str, ...] = ("purchaser", "consignee", "end_user", "intermediary")

END_USE_TYPES: tuple[str, ...] = (
    "lawful_interception_with_oversight",
    "mass_public_space_surveillance",
    "targeted_covert_surveillance",
    "censorship_filtering",
    "ethnic_or_religious_profiling",
    "protest_or_dissident_monitoring",
    "cyber_defence",
    "network_management_qos",
    "commercial_analytics",
    "research",
    "unknown",
)

DECISIONS: tuple[str, ...] = ("approve", "refer", "deny")
DECISION_RANK: dict[str, int] = {"approve": 0, "refer": 1, "deny": 2}
# Outcomes that are not a licensing decision: the policy's regime does not govern this exporter, or
# the movement needs no authorisation under it (an intra-EU transfer of an item outside Annex IV).
NOT_APPLICABLE, NO_LICENCE_REQUIRED = "not_applicable", "no_licence_required"
OUTCOMES: tuple[str, ...] = (NOT_APPLICABLE, NO_LICENCE_REQUIRED, *DECISIONS)

RISK_TIERS: tuple[str, ...] = ("low", "elevated", "high", "unknown")

# Families of item categories that do the same job; a partner's denial of one is a denial of the
# "similar item" for the no-undercut check (Wassenaar Best Practices on denial consultation).
CATEGORY_FAMILIES: dict[str, str] = {
    "intrusion_software_platform": "intrusion",
    "forensic_extraction": "intrusion",
    "mobile_interception": "interception",
    "ip_network_surveillance": "interception",
    "le_monitoring_analysis_sw": "interception",
    "lawful_interception_or_data_retention": "interception",
    "location_tracking": "interception",
    "dpi_filtering_censorship": "network_filtering",
    "facial_biometric_recognition": "biometric_video",
    "video_analytics_smart_city": "biometric_video",
    "social_media_osint_monitoring": "osint",
    "us_crime_control": "crime_control",
    "general_ict": "general_ict",
    "hosting_cdn_email_services": "services",
}


def category_family(category: str) -> str:
    return CATEGORY_FAMILIES.get(category, category)
