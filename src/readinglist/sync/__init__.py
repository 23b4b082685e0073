"""Offline-first sync over storage the user already has (WebDAV or a synced folder)."""
