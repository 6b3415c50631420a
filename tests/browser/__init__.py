"""Browser tests: headless Chromium clicks through the dev site on the local cloud."""
