"""The web app: routes that turn form posts into ``workflows.web_session`` calls and render one page.

Security for a page that holds student data on a shared school computer:
- bound to 127.0.0.1 by default; requests naming another Host are refused (DNS rebinding);
- the session cookie is random, HttpOnly and SameSite=Strict (another site cannot post to the page
  with it);
- uploads are read in chunks and refused past the CLI's size limit before they are stored;
- every error is a message on the page; nothing is written outside each session's temporary folder,
  and the folders are removed when the server stops.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.datastructures import UploadFile
from starlette.middleware.trustedhost import TrustedHostMiddleware

from parasched.io.files import MAX_FILE_BYTES
from parasched.scheduler.deadline import RESOLVE_DEFAULT_SECONDS
from parasched.scheduler.errors import InputError, Issue
from parasched.workflows import web_session as ws

HERE = Path(__file__).parent
COOKIE = "parasched_session"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")
IDLE_SECONDS = 8 * 3600  # a session unused this long is removed (its files with it)
MAX_SESSIONS = 50
CHUNK = 1024 * 1024
FORM_OVERHEAD = 64 * 1024  # multipart boundaries and the small fields around one file


class Sessions:
    """The sessions of one server, by random id; each keeps its own folder and job."""

    def __init__(self, time_limit: float, workers: int) -> None:
        self.time_limit = time_limit
        self.workers = workers
        self._by_id: dict[str, ws.Session] = {}
        self._lock = threading.Lock()

    def get(self, sid: str | None) -> ws.Session | None:
        with self._lock:
            s = self._by_id.get(sid or "")
            if s is not None:
                s.last_used = time.monotonic()
            return s

    def new(self) -> ws.Session:
        self._expire()
        s = ws.Session(time_limit=self.time_limit, workers=self.workers)
        with self._lock:
            if len(self._by_id) >= MAX_SESSIONS:  # the least recently used idle one makes room
                idle = [x for x in self._by_id.values() if not x.busy]
                if idle:
                    old = min(idle, key=lambda x: x.last_used)
                    del self._by_id[old.id]
                    old.close()
            self._by_id[s.id] = s
        return s

    def _expire(self) -> None:
        now = time.monotonic()
        with self._lock:
            old = [s for s in self._by_id.values() if now - s.last_used > IDLE_SECONDS and not s.busy]
            for s in old:
                del self._by_id[s.id]
        for s in old:
            s.close()

    def close_all(self) -> None:
        with self._lock:
            all_, self._by_id = list(self._by_id.values()), {}
        for s in all_:
            s.close()

    def __len__(self) -> int:
        return len(self._by_id)


def create_app(
    *,
    time_limit: float = RESOLVE_DEFAULT_SECONDS,
    workers: int = 2,
    allowed_hosts: tuple[str, ...] | None = LOOPBACK_HOSTS,
    max_upload_bytes: int = MAX_FILE_BYTES,
) -> FastAPI:
    """The app. ``allowed_hosts`` None accepts any Host header (``--host`` given: the user chose to
    expose the page); ``time_limit`` is the seconds a solve or re-plan may take."""
    sessions = Sessions(time_limit, workers)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        sessions.close_all()

    app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.sessions = sessions
    if allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=sorted({h.strip("[]") for h in allowed_hosts}))
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    templates = Jinja2Templates(directory=HERE / "templates")

    @app.middleware("http")
    async def refuse_large(request: Request, call_next: Any) -> Response:
        """Refuse an over-large upload from its Content-Length, before a byte of it is stored."""
        length = request.headers.get("content-length")
        if request.method == "POST" and length and length.isdigit() and int(length) > max_upload_bytes + FORM_OVERHEAD:
            s = sessions.get(request.cookies.get(COOKIE))
            if s is not None:
                s.say_error(
                    InputError(
                        [
                            Issue(
                                f"is larger than {max_upload_bytes // (1024 * 1024)} MB; check it is the right file",
                                "the upload",
                            )
                        ]
                    ),
                    "Upload refused",
                )
                return RedirectResponse("/", status_code=303)
            return HTMLResponse(f"Upload refused: larger than {max_upload_bytes // (1024 * 1024)} MB.", 413)
        return await call_next(request)

    def session_of(request: Request) -> tuple[ws.Session, bool]:
        s = sessions.get(request.cookies.get(COOKIE))
        return (s, False) if s is not None else (sessions.new(), True)

    def with_cookie(response: Response, s: ws.Session, fresh: bool) -> Response:
        if fresh:
            response.set_cookie(COOKIE, s.id, httponly=True, samesite="strict")
        return response

    def back(s: ws.Session, fresh: bool, day: str | None = None) -> Response:
        return with_cookie(RedirectResponse(f"/?day={day}" if day else "/", status_code=303), s, fresh)

    async def read_upload(upload: UploadFile | None) -> tuple[str, bytes]:
        if upload is None or not upload.filename:
            raise InputError([Issue("no file chosen; choose a workbook (.xlsx) first")])
        data = bytearray()
        while chunk := await upload.read(CHUNK):
            data += chunk
            if len(data) > max_upload_bytes:
                raise ws.UploadTooLarge(
                    [
                        Issue(
                            f"is larger than {max_upload_bytes // (1024 * 1024)} MB; check it is the right file",
                            ws._display_name(upload.filename),
                        )
                    ]
                )
        return upload.filename, bytes(data)

    @app.get("/", response_class=HTMLResponse)
    async def page(request: Request, day: str | None = None) -> Response:
        s, fresh = session_of(request)
        context: dict[str, Any] = {
            "s": s,
            "messages": s.take_messages(),
            "job": s.job_status(),
            "limit": s.time_limit,
            "max_mb": max_upload_bytes // (1024 * 1024),
        }
        problem = s.problem
        if problem is not None:
            plan = s.current
            chosen = ws.first_day(problem, day or (plan.marks.day if plan is not None and plan.marks else None))
            context.update(
                day=chosen,
                days=problem.settings.days,
                marks=ws.default_marks(s, chosen),
                substitutes=[p for p in problem.paras if p.is_substitute],
                regular=[p for p in problem.paras if not p.is_substitute],
                students=problem.students,
                plan=plan,
                view=ws.day_view(plan, chosen, names=s.names) if plan is not None else None,
            )
        response = templates.TemplateResponse(request, "page.html", context)
        response.headers["Cache-Control"] = "no-store"
        return with_cookie(response, s, fresh)

    @app.post("/input")
    async def open_input(request: Request) -> Response:
        s, fresh = session_of(request)
        form = await request.form()
        action = str(form.get("action") or "open")
        upload = form.get("file")
        try:
            name, data = await read_upload(upload if isinstance(upload, UploadFile) else None)
            if action == "validate":
                s.validate(name, data)
            else:
                if s.busy:
                    raise InputError([Issue("a solve is running; wait for it or press Stop before opening a file")])
                s.open_input(name, data)
                s.say_ok(
                    f"Opened {ws._display_name(name)}: {len(s.problem.paras) if s.problem else 0} paras, "
                    f"{len(s.problem.students) if s.problem else 0} students."
                    + (f" {len(s.warnings)} warning(s):" if s.warnings else ""),
                    [f"warning: {w}" for w in s.warnings],
                )
        except InputError as exc:
            s.say_error(exc, "Not valid" if action == "validate" else "")
        return back(s, fresh)

    @app.post("/baseline")
    async def open_baseline(request: Request) -> Response:
        s, fresh = session_of(request)
        form = await request.form()
        upload = form.get("file")
        try:
            name, data = await read_upload(upload if isinstance(upload, UploadFile) else None)
            if s.busy:
                raise InputError([Issue("a solve is running; wait for it or press Stop")])
            s.open_baseline(name, data)
            plan = s.current
            broken = len(plan.violations) if plan else 0
            s.say_ok(
                f"Opened the baseline {ws._display_name(name)}"
                + (
                    f"; it breaks {broken} rule(s) (listed below, not silently changed)."
                    if broken
                    else "; it passes every hard rule."
                )
            )
        except InputError as exc:
            s.say_error(exc)
        return back(s, fresh)

    @app.post("/solve")
    async def solve(request: Request) -> Response:
        s, fresh = session_of(request)
        try:
            s.start_solve()
        except InputError as exc:
            s.say_error(exc, "Cannot solve")
        return back(s, fresh)

    @app.post("/replan")
    async def replan(request: Request) -> Response:
        s, fresh = session_of(request)
        form = await request.form()
        fields = {k: str(v) for k, v in form.items() if isinstance(v, str)}
        day = fields.get("day", "")
        try:
            if s.problem is None:
                raise InputError([Issue("open the input workbook first")])
            upload = form.get("absences")
            file = None
            if isinstance(upload, UploadFile) and upload.filename:
                file = await read_upload(upload)
            s.start_replan(ws.parse_marks(day, fields, s.problem), absences_file=file)
        except InputError as exc:
            s.say_error(exc, "Cannot re-plan")
        return back(s, fresh, day or None)

    @app.post("/stop")
    async def stop(request: Request) -> Response:
        s, fresh = session_of(request)
        s.stop()
        return back(s, fresh)

    @app.get("/progress")
    async def progress(request: Request) -> Response:
        s = sessions.get(request.cookies.get(COOKIE))
        status = s.job_status() if s is not None else None
        return JSONResponse(status.as_dict() if status is not None else {"running": False, "kind": ""})

    @app.get("/download/schedule.xlsx")
    async def download_workbook(request: Request) -> Response:
        s, fresh = session_of(request)
        try:
            path, name = s.workbook()
        except InputError as exc:
            s.say_error(exc, "Nothing to download")
            return back(s, fresh)
        return FileResponse(
            path, filename=name, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )

    @app.get("/download/calendars.zip")
    async def download_calendars(request: Request) -> Response:
        s, fresh = session_of(request)
        try:
            data, name = s.calendars()
        except InputError as exc:
            s.say_error(exc, "No calendars")
            return back(s, fresh)
        return Response(
            data, media_type="application/zip", headers={"Content-Disposition": f'attachment; filename="{name}"'}
        )

    @app.get("/download/absences.csv")
    async def download_absences(request: Request) -> Response:
        s, fresh = session_of(request)
        try:
            data, name = s.absences_csv()
        except InputError as exc:
            s.say_error(exc, "No absences")
            return back(s, fresh)
        return Response(
            data,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    return app


__all__ = ["COOKIE", "LOOPBACK_HOSTS", "Sessions", "create_app"]
