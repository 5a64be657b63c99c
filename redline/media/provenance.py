"""C2PA content credentials, read offline: is there a manifest, is it intact, does it declare AI generation?

    check_file(path) -> {"file", "has_manifest", "valid", "ai_generated", "generator", "issues": [...],
                         "validation_state", "digital_source_types", "alerts": [...]}

Offline: the reader runs with `verify.remote_manifest_fetch` and `verify.ocsp_fetch` off, so a
manifest that lives at a remote URL is reported as an issue instead of being downloaded, and no
certificate status is fetched. No trust list is loaded, so every signer is "untrusted": that code
is kept out of `issues` (it is in `untrusted_signer`) and does not make a manifest invalid.

`valid` is False when the manifest fails validation (a data-hash mismatch from pixels changed after
signing, a signature mismatch, …): that is reported as tampering. `ai_generated` is True when any
manifest in the file (the active one or an ingredient's) declares the IPTC digital source type
trainedAlgorithmicMedia or compositeWithTrainedAlgorithmicMedia.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
AI_SOURCE_TYPES = frozenset({"trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia"})
# Codes that say "we could not check the signer against a trust list", not that anything is wrong.
TRUST_CODES = frozenset({"signingCredential.untrusted", "cawg.x509.credential.untrusted", "timeStamp.untrusted"})

OFFLINE_SETTINGS = {"verify": {"remote_manifest_fetch": False, "ocsp_fetch": False}}

_context: Any = None


def offline_context() -> Any:
    """One c2pa Context with every network fetch off, shared by all reads in this process."""
    global _context
    if _context is None:
        import c2pa

        _context = c2pa.Context.from_dict(OFFLINE_SETTINGS)
    return _context


def _short_source_type(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    return value[len(IPTC):] if value.startswith(IPTC) else value.rsplit("/", 1)[-1]


def _generator(manifest: dict[str, Any]) -> str | None:
    info = manifest.get("claim_generator_info") or []
    if isinstance(info, list) and info and isinstance(info[0], dict) and info[0].get("name"):
        name, version = info[0].get("name"), info[0].get("version")
        return f"{name} {version}" if version else str(name)
    gen = manifest.get("claim_generator")
    return str(gen) if gen else None


def _agent_name(agent: Any) -> str | None:
    if isinstance(agent, dict):
        name, version = agent.get("name"), agent.get("version")
        return f"{name} {version}" if name and version else (str(name) if name else None)
    return str(agent) if agent else None


def _actions(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for assertion in manifest.get("assertions") or []:
        if not isinstance(assertion, dict) or not str(assertion.get("label", "")).startswith("c2pa.actions"):
            continue
        data = assertion.get("data") or {}
        for action in data.get("actions") or []:
            if isinstance(action, dict):
                out.append(action)
    return out


def summarise(store: dict[str, Any]) -> dict[str, Any]:
    """The report fields from a c2pa Reader's JSON (a manifest store)."""
    manifests: dict[str, Any] = store.get("manifests") or {}
    active_label = store.get("active_manifest")
    active = manifests.get(active_label) or {}
    state = store.get("validation_state")
    statuses = [s for s in store.get("validation_status") or [] if isinstance(s, dict)]
    results = (store.get("validation_results") or {}).get("activeManifest") or {}
    failures = [s for s in results.get("failure") or [] if isinstance(s, dict)]
    codes: list[dict[str, Any]] = []
    seen = set()
    for s in statuses + failures:
        key = (s.get("code"), s.get("url"))
        if key not in seen:
            seen.add(key)
            codes.append(s)
    issues = [
        {"code": s.get("code"), "explanation": s.get("explanation"), "url": s.get("url")}
        for s in codes if s.get("code") not in TRUST_CODES
    ]
    untrusted = any(s.get("code") in TRUST_CODES for s in codes)
    valid = state in ("Valid", "Trusted") if state else not issues

    source_types: list[dict[str, Any]] = []
    ai_agents: list[str] = []
    ai_claim_generators: list[str] = []
    # Active manifest first, then the ingredients' manifests.
    ordered = [(active_label, active)] + [(k, v) for k, v in manifests.items() if k != active_label]
    for label, manifest in ordered:
        if not isinstance(manifest, dict):
            continue
        for action in _actions(manifest):
            kind = _short_source_type(action.get("digitalSourceType"))
            if not kind:
                continue
            agent = _agent_name(action.get("softwareAgent"))
            source_types.append({
                "type": kind, "action": action.get("action"), "software_agent": agent,
                "manifest": label, "active": label == active_label,
            })
            if kind in AI_SOURCE_TYPES:
                ai_agents.append(agent or "")
                ai_claim_generators.append(_generator(manifest) or "")
    ai = any(s["type"] in AI_SOURCE_TYPES for s in source_types)
    # The tool named on the AI action (e.g. "Adobe Firefly") before the app that wrote the claim.
    generator = next((g for g in ai_agents + ai_claim_generators if g), None) if ai else None
    if generator is None:
        generator = _generator(active)

    alerts: list[dict[str, Any]] = []
    if not valid:
        alerts.append({"kind": "tampered", "detail": ", ".join(i["code"] or "?" for i in issues) or state})
    if ai:
        kinds = sorted({s["type"] for s in source_types if s["type"] in AI_SOURCE_TYPES})
        alerts.append({"kind": "ai_generated", "detail": f"declared {', '.join(kinds)} by {generator or 'unknown'}"})
    return {
        "has_manifest": True,
        "valid": valid,
        "ai_generated": ai,
        "generator": generator,
        "issues": issues,
        "validation_state": state,
        "untrusted_signer": untrusted,
        "manifests": len(manifests),
        "title": active.get("title"),
        "digital_source_types": source_types,
        "alerts": alerts,
    }


def check_file(path: str | Path) -> dict[str, Any]:
    """Read one file's C2PA manifest offline. Never raises for a bad file: problems go to `issues`."""
    import c2pa

    name = str(path)
    # Without a manifest nothing is declared either way: AI generation is unknown (None), never "no".
    base = {"file": name, "has_manifest": False, "valid": None, "ai_generated": None, "generator": None,
            "issues": [], "validation_state": None, "untrusted_signer": False, "manifests": 0, "title": None,
            "digital_source_types": [], "alerts": []}
    p = Path(path)
    if not p.is_file():
        base["issues"].append({"code": "file.not_found" if not p.exists() else "file.not_a_file",
                               "explanation": "no such file" if not p.exists() else "not a regular file", "url": None})
        base["error"] = base["issues"][0]["explanation"]
        return base
    try:
        with c2pa.Reader(str(p), context=offline_context()) as reader:
            store = orjson.loads(reader.json())
            remote = reader.get_remote_url() if hasattr(reader, "get_remote_url") else None
    except c2pa.C2paError.ManifestNotFound:
        return base
    except c2pa.C2paError as exc:
        text = str(exc)
        code = "manifest.remote" if "remote" in text.lower() else "manifest.unreadable"
        base["issues"].append({"code": code, "explanation": text, "url": None})
        if code == "manifest.remote":
            base["has_manifest"] = True
        else:
            base["error"] = text
        return base
    except (OSError, ValueError) as exc:
        base["issues"].append({"code": "file.unreadable", "explanation": str(exc), "url": None})
        base["error"] = str(exc)
        return base
    out = {"file": name, **summarise(store)}
    if remote:
        out["remote_manifest_url"] = remote
    return out


def check_files(paths: list[str]) -> list[dict[str, Any]]:
    return [check_file(p) for p in paths]
