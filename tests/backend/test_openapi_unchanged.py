"""The API's published contract: the OpenAPI document (every path, parameter, status code and
response schema, in order) is exactly the one in tests/backend/openapi.json.

The file was written by the code before the API was split into routers, so this test shows the
split changed nothing a client can see, and it goes on catching accidental changes. A change made
on purpose rewrites the file:
    .venv/bin/python -c 'import json; from backend.api.app import Settings, create_app;
      print(json.dumps(create_app(Settings(db="/tmp/x.sqlite")).openapi(), indent=1, ensure_ascii=False))'
      > tests/backend/openapi.json
"""

from __future__ import annotations

import json
from pathlib import Path

from backend.api.app import Settings, create_app

PUBLISHED = Path(__file__).with_name("openapi.json")


def test_the_openapi_document_is_the_published_one(tmp_path: Path) -> None:
    app = create_app(Settings(db=str(tmp_path / "index.sqlite")))
    document = json.dumps(app.openapi(), indent=1, ensure_ascii=False)
    published = PUBLISHED.read_text().rstrip("\n")
    if document != published:  # name the first operation that differs, then show the whole difference
        ours, theirs = json.loads(document)["paths"], json.loads(published)["paths"]
        changed = [p for p in sorted(set(ours) | set(theirs)) if ours.get(p) != theirs.get(p)]
        assert changed == [], f"these paths differ from the published document: {changed}"
    assert document == published
