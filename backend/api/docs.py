"""Swagger UI (/docs) and ReDoc (/redoc) served with their assets from this server.

FastAPI's built-in pages load their JavaScript, CSS, favicon and fonts from public CDNs, so they
are blank on a machine without internet. The assets come from the pinned npm packages
`swagger-ui-dist` and `redoc` in the checkout's node_modules (installed by tools/bootstrap.sh);
only the few files the two pages load are served, under /docs/assets/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse

from fairstake import PROJECT_ROOT

ASSETS_PATH = "/docs/assets"
# Served name -> path inside node_modules. Nothing else under node_modules is reachable.
ASSETS: dict[str, str] = {
    "swagger-ui-bundle.js": "swagger-ui-dist/swagger-ui-bundle.js",
    "swagger-ui.css": "swagger-ui-dist/swagger-ui.css",
    "favicon-32x32.png": "swagger-ui-dist/favicon-32x32.png",
    "redoc.standalone.js": "redoc/bundles/redoc.standalone.js",
}
MEDIA_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}


def install_docs(app: FastAPI, node_modules: Path | None = None) -> None:
    """Add /docs, /redoc and their assets to `app` (built with docs_url=None, redoc_url=None)."""
    modules = node_modules or PROJECT_ROOT / "node_modules"
    openapi_url = app.openapi_url or "/openapi.json"

    def page(request: Request, viewer: str, **assets: str) -> dict[str, Any]:
        """A viewer page's arguments: its title, and the spec and `assets` (argument -> file)
        under the app's root path."""
        root = request.scope.get("root_path", "")
        urls = {argument: f"{root}{ASSETS_PATH}/{name}" for argument, name in assets.items()}
        return {"openapi_url": root + openapi_url, "title": f"{app.title} - {viewer}", **urls}

    @app.get("/docs", include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        return get_swagger_ui_html(
            **page(
                request,
                "Swagger UI",
                swagger_js_url="swagger-ui-bundle.js",
                swagger_css_url="swagger-ui.css",
                swagger_favicon_url="favicon-32x32.png",
            ),
            # Swagger UI would otherwise send the whole spec to validator.swagger.io for a badge.
            swagger_ui_parameters={"validatorUrl": None},
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        return get_redoc_html(
            **page(request, "ReDoc", redoc_js_url="redoc.standalone.js", redoc_favicon_url="favicon-32x32.png"),
            with_google_fonts=False,
        )

    @app.get(ASSETS_PATH + "/{name}", include_in_schema=False)
    def docs_asset(name: str) -> FileResponse:
        relative = ASSETS.get(name)
        if relative is None:
            raise HTTPException(404, f"no documentation asset {name!r}")
        path = modules / relative
        if not path.is_file():
            package = relative.split("/", 1)[0]
            raise HTTPException(503, f"{package} is not installed in {modules}: run tools/bootstrap.sh")
        return FileResponse(path, media_type=MEDIA_TYPES[path.suffix], headers={"Cache-Control": "max-age=86400"})
