"""The browser workbench served by `redline serve` at /ui: server-rendered pages over the domain
libraries (review queue, media review, ledger, licensing cases, reports). The pages decide nothing
themselves: every decision is a call to the library that records it."""
