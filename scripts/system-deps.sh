#!/usr/bin/env bash
# Installs the Debian packages Redline's Python dependencies build against, when missing:
# PyICU (via followthemoney/normality) needs ICU; vpdq and PyAV need FFmpeg's libav*; tmkpy (TMK+PDQF)
# is built from source with swig, g++ and make, and runs the ffmpeg program; gcc (with g++) compiles the
# name scorer with mypyc (scripts/build_native.py); the
# infra tests run dnsmasq on loopback; WeasyPrint (report PDFs) loads Pango and needs a font;
# the store tests start a throwaway PostgreSQL cluster; the
# workbench's browser tests drive Debian's Chromium through its chromedriver (nothing downloaded at run time).
set -euo pipefail
packages=(libicu-dev pkg-config g++ libavcodec-dev libavformat-dev libavutil-dev libswscale-dev
          libavdevice-dev libavfilter-dev swig make ffmpeg dnsmasq-base postgresql
          libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core chromium chromium-driver)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing system packages: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
