#!/usr/bin/env python3
"""RSTUF's REST API (repository-service-tuf-api v1.0.1) judges the payloads tuf-ceremony
writes for it, with its own pydantic models: the files common_models.py, bootstrap.py and
metadata.py of that release, with the example payloads they read at import, kept byte for
byte in tests/data/rstuf-api/v1.0.1 (sources in its SOURCES.md; the API is published on no
registry these tests can reach). Their package's __init__ (Celery, Redis-backed settings)
and fastapi (HTTP errors of the handlers) take no part in validating a payload and are
stood in for; the models are imported as the API imports them.

  rstuf_api.py bootstrap PAYLOAD    POST /api/v1/bootstrap: BootstrapPayload
  rstuf_api.py update PAYLOAD       POST /api/v1/metadata: MetadataPostPayload
  rstuf_api.py sign PAYLOAD         POST /api/v1/metadata/sign: MetadataSignPostPayload
  rstuf_api.py examples             the API's own example payloads, each judged as above

Prints "accepted: ..." when the model accepts the payload and the metadata it hands RSTUF's
worker (`payload.dict(by_alias=True, exclude_none=True)`, as its handlers send it) is the
metadata written, then whether every signature over that root verifies (python-tuf checks
each); else "refused: <the model's error>", or "refused: ... differs" when the worker would
get another root than the one signed. Exits 0 either way; 2 on a usage error.
"""
import copy, json, os, sys, types

HERE = os.path.dirname(os.path.abspath(__file__))
API = os.path.join(HERE, "..", "data", "rstuf-api", "v1.0.1")


def _load_models():
    """Imports RSTUF's model modules with stand-ins for what they import and never use to
    validate: the package __init__ (Celery app, Redis settings) and fastapi."""
    pkg = types.ModuleType("repository_service_tuf_api")
    pkg.__path__ = [os.path.join(API, "repository_service_tuf_api")]

    class _Settings:
        def get_fresh(self, *a, **k):
            raise RuntimeError("settings are not read to validate a payload")

        get = reload = get_fresh

    def _unused(*a, **k):
        raise RuntimeError("not part of validating a payload")

    pkg.settings_repository = _Settings()
    pkg.bootstrap_state = pkg.get_task_id = _unused
    pkg.pre_lock_bootstrap = pkg.release_bootstrap_lock = _unused
    pkg.repository_metadata = types.SimpleNamespace(apply_async=_unused, AsyncResult=_unused)
    sys.modules["repository_service_tuf_api"] = pkg

    fastapi = types.ModuleType("fastapi")

    class HTTPException(Exception):
        def __init__(self, status_code=None, detail=None):
            super().__init__(status_code, detail)

    fastapi.HTTPException = HTTPException
    fastapi.status = types.SimpleNamespace(HTTP_404_NOT_FOUND=404, HTTP_200_OK=200)
    sys.modules["fastapi"] = fastapi

    cwd = os.getcwd()
    os.chdir(API)  # the modules read their example payloads (tests/data_examples) at import
    try:
        from repository_service_tuf_api import bootstrap, metadata
    finally:
        os.chdir(cwd)
    return bootstrap, metadata


def _verify(root_md, what):
    """Whether every signature in `root_md` (a dict) by a key the root lists verifies: the
    worker checks those against root's threshold (on an update, signatures by keys only the
    trusted root lists are checked against that one, which rstuf.py check-update does)."""
    from tuf.api.metadata import Metadata
    md = Metadata.from_dict(copy.deepcopy(root_md))
    own = [k for k in md.signatures if k in md.signed.keys]
    try:
        for keyid in own:
            md.signed.keys[keyid].verify_signature(md.signatures[keyid], md.signed_bytes)
    except Exception as e:
        return f"a signature does not verify over the {what}: {type(e).__name__}: {e}"
    return (f"all {len(own)} signature(s) by its keys verify over the {what}"
            f" ({len(md.signatures) - len(own)} by keys it does not list)")


MODELS = None


def judge(kind, path):
    global MODELS
    from pydantic import ValidationError
    MODELS = MODELS or _load_models()
    bootstrap, metadata = MODELS
    with open(path) as f:
        payload = json.load(f)
    model = {"bootstrap": bootstrap.BootstrapPayload, "update": metadata.MetadataPostPayload,
             "sign": metadata.MetadataSignPostPayload}[kind]
    try:
        parsed = model(**payload)
    except ValidationError as e:
        errors = "; ".join(err["msg"] for err in e.errors())
        print(f"refused: {model.__name__}: {errors}")
        return
    sent = parsed.model_dump(by_alias=True, exclude_none=True)  # what .dict() gives in pydantic 2
    if kind == "sign":
        assert sent == payload, f"the worker would get {sent}, not {payload}"
        print(f"accepted: {model.__name__}; the worker gets the signature as written")
        return
    root = sent["metadata"]["root"]
    if root != payload["metadata"]["root"]:
        print(f"refused: {model.__name__} accepts it, but the root its worker gets differs from the root written")
        return
    print(f"accepted: {model.__name__}; its worker gets root v{root['signed']['version']} as written; "
          + _verify(root, "root the worker gets"))


def examples():
    """The API's own example payloads (its OpenAPI examples, read by the modules at import):
    what a working judge must accept."""
    at = os.path.join(API, "tests", "data_examples")
    for kind, name in (("bootstrap", "bootstrap/payload_bins.json"),
                       ("bootstrap", "bootstrap/das-payload.json"),
                       ("update", "metadata/update-root-payload.json")):
        print(f"{name}: ", end="")
        judge(kind, os.path.join(at, name))


if __name__ == "__main__":
    if sys.argv[1:] == ["examples"]:
        examples()
        sys.exit(0)
    if len(sys.argv) != 3 or sys.argv[1] not in ("bootstrap", "update", "sign"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    judge(sys.argv[1], sys.argv[2])
