from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files; without a manifest (tests, a fresh checkout) plain names."""

    manifest_strict = False
