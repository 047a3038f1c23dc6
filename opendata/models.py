"""The open-data app has no models: it publishes the other apps' published content."""
