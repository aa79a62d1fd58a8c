"""/docs and /redoc work without internet: every asset the pages load comes from this server,
and nothing in the pages (or the stylesheets they load) points at another host."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from backend.api.app import Settings, create_app

EXTERNAL = re.compile(r"""(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}""")
# Everything an HTML page can load: src/href attributes, Swagger UI's `url:` and ReDoc's spec-url.
REFERENCES = re.compile(r"""(?:src|href|spec-url)\s*=\s*["']([^"']+)["']|\burl\s*:\s*["']([^"']+)["']""")
CSS_URLS = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)|@import\s+["']([^"']+)["']""")


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(db=f"sqlite:///{tmp_path / 'store.db'}"))
    with TestClient(app) as c:
        yield c


def references(text: str, pattern: re.Pattern[str]) -> list[str]:
    return [a or b for a, b in pattern.findall(text)]


@pytest.mark.parametrize(("page", "script_marker"), [("/docs", "SwaggerUIBundle"), ("/redoc", "Redoc")])
def test_docs_page_and_every_asset_are_served_locally(client: TestClient, page: str, script_marker: str) -> None:
    response = client.get(page)
    assert response.status_code == 200
    html = response.text
    assert not EXTERNAL.findall(html), f"{page} points at another host"
    # The page renders nothing without its scripts; fonts from a CDN would be fetched too.
    assert "fonts.googleapis" not in html and "cdn." not in html
    refs = references(html, REFERENCES)
    scripts = [r for r in refs if r.endswith(".js")]
    assert scripts, f"{page} loads no script"
    assert "/openapi.json" in refs
    for ref in refs:
        assert ref.startswith("/"), f"{page} references {ref} outside this server"
        asset = client.get(ref)
        assert asset.status_code == 200, ref
        assert asset.content, ref
        if ref.endswith(".css"):
            for url in references(asset.text, CSS_URLS):
                assert url.startswith(("data:", "#")) or not EXTERNAL.match(url), f"{ref} loads {url}"
    bundle = client.get(scripts[0]).text
    assert script_marker in bundle and len(bundle) > 100_000  # the real bundle, not a stub
    assert client.get(scripts[0]).headers["content-type"].startswith("text/javascript")


def test_swagger_ui_does_not_send_the_spec_to_the_public_validator(client: TestClient) -> None:
    html = client.get("/docs").text
    assert re.search(r'"validatorUrl"\s*:\s*null', html)


@pytest.mark.parametrize("name", ["package.json", "..%2Fpackage.json", "swagger-ui-dist%2Fpackage.json"])
def test_only_the_listed_assets_are_reachable(client: TestClient, name: str) -> None:
    response = client.get(f"/docs/assets/{name}")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_docs_pages_are_not_in_the_openapi_schema(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert not [p for p in paths if p.startswith(("/docs", "/redoc"))]
