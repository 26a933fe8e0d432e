r"""Where the Neo4j server is and how to reach it: settings, the driver, the lock file, one-line errors.

>>> s = Neo4jSettings.from_env({"NEO4J_URI": "bolt://db.example:7687", "NEO4J_USER": "kg"})
>>> s.uri, s.user, s.database, s.password is None
('bolt://db.example:7687', 'kg', 'neo4j', True)
>>> s
Neo4jSettings(uri='bolt://db.example:7687', user='kg', database='neo4j')
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kg.stores import StoreError

if TYPE_CHECKING:
    from neo4j import Driver


DEFAULT_URI = "bolt://127.0.0.1:7687"
# The schemes the driver speaks (Bolt, direct or routed, with or without TLS).  Anything else (http://
# is Neo4j Browser's port) would reach an optional part of the driver and end in an import error.
BOLT_SCHEMES = ("bolt", "neo4j", "bolt+s", "bolt+ssc", "neo4j+s", "neo4j+ssc")
DEFAULT_DATABASE = "neo4j"


@dataclass(frozen=True, slots=True)
class Neo4jSettings:
    """Where the graph lives.  Built once (by the CLI) from options and the environment.

    ``user=None`` connects without authentication (the project's own server).
    The password never appears in ``repr`` nor in any message: a user and
    password written into the URI (``bolt://kg:secret@host``) are taken out of
    it into *user* and *password* (unless given), so :attr:`uri` is safe to show.
    A scheme that is not Bolt (``http://``: the browser's port) is refused in one line.

    >>> s = Neo4jSettings("bolt://kg:s%40cret@db.example:7687")
    >>> s.uri, s.user, s.password
    ('bolt://db.example:7687', 'kg', 's@cret')
    >>> Neo4jSettings("http://kg:secret@db.example:7474")
    Traceback (most recent call last):
    ...
    ValueError: NEO4J_URI: unsupported scheme 'http' in http://db.example:7474; Neo4j is reached over Bolt: bolt://host:7687 or neo4j://host (also bolt+s, bolt+ssc, neo4j+s, neo4j+ssc)
    """

    uri: str = DEFAULT_URI
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    database: str = DEFAULT_DATABASE

    def __post_init__(self) -> None:
        from urllib.parse import unquote, urlsplit

        if "://" not in self.uri:
            raise ValueError(
                "NEO4J_URI must look like bolt://host:7687 or neo4j://host, not " + _shown(self.uri)
            )
        parts = urlsplit(self.uri)
        if "@" in parts.netloc:  # credentials in the URI: kept out of it, so no message can show them
            userinfo, host = parts.netloc.rsplit("@", 1)
            name, _, secret = userinfo.partition(":")
            object.__setattr__(self, "uri", parts._replace(netloc=host).geturl())
            object.__setattr__(self, "user", self.user or unquote(name) or None)
            object.__setattr__(self, "password", self.password or unquote(secret) or None)
        scheme = parts.scheme.lower()
        if scheme not in BOLT_SCHEMES:
            raise ValueError(
                f"NEO4J_URI: unsupported scheme {scheme!r} in {self.uri}; Neo4j is reached over Bolt:"
                f" bolt://host:7687 or neo4j://host (also {', '.join(BOLT_SCHEMES[2:])})"
            )
        if not self.database:
            raise ValueError("NEO4J_DATABASE must not be empty")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Neo4jSettings:
        """Settings from NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE; *overrides* win when not None."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {
            "uri": env.get("NEO4J_URI") or DEFAULT_URI,
            "user": env.get("NEO4J_USER") or None,
            "password": env.get("NEO4J_PASSWORD") or None,
            "database": env.get("NEO4J_DATABASE") or DEFAULT_DATABASE,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    @property
    def auth(self) -> tuple[str, str] | None:
        return (self.user, self.password or "") if self.user else None


def _shown(uri: str) -> str:
    """*uri* with any ``user:password@`` taken out, for a message.

    >>> _shown("bolt://kg:secret@db:7687")
    "'bolt://db:7687'"
    """
    return repr(re.sub(r"(?<=://)[^/@]*@", "", uri))


def _redact(text: str, settings: Neo4jSettings) -> str:
    """*text* with the password (and any URI credentials) replaced by ``***``: a driver message may quote them.

    >>> _redact("bad uri 'bolt://kg:pw1@h' (pw1)", Neo4jSettings(password="pw1"))
    "bad uri 'bolt://***@h' (***)"
    """
    text = re.sub(r"(?<=://)[^/@\s'\"]*@", "***@", text)
    return text.replace(settings.password, "***") if settings.password else text


def open_driver(settings: Neo4jSettings) -> Driver:
    """A driver for *settings* (the caller closes it, e.g. with ``with``)."""
    from neo4j import GraphDatabase

    # Server notifications ("property key does not exist" for a property no row has yet, such as
    # HOLDS.until) are advice for query authors, not for users: the driver would log each one.
    return GraphDatabase.driver(
        settings.uri,
        auth=settings.auth,
        connection_timeout=5,
        connection_acquisition_timeout=10,
        notifications_min_severity="OFF",
    )


def connect(settings: Neo4jSettings) -> Driver:
    """An open driver whose server answered (fails fast instead of retrying for half a minute).

    Raises :class:`kg.stores.StoreError` (one line) when the server cannot be
    reached or refuses the credentials.  The caller closes the driver.
    """
    driver = open_driver(settings)
    try:
        with neo4j_errors(settings):
            driver.verify_connectivity()
    except BaseException:
        driver.close()
        raise
    return driver


@contextmanager
def exclusive(settings: Neo4jSettings, *, timeout: float = 900.0) -> Iterator[None]:
    """Hold a lock file for *settings*' server while a process wipes and refills it (tests, benchmark).

    Neo4j Community has one database, so two test runs on one machine would
    wipe each other's data; they take turns instead.  Raises ``TimeoutError``
    after *timeout* seconds.
    """
    import fcntl
    import tempfile
    import time
    from pathlib import Path

    name = re.sub(r"[^A-Za-z0-9]+", "-", f"{settings.uri}-{settings.database}").strip("-")
    path = Path(tempfile.gettempdir()) / f"kg-neo4j-{name}.lock"
    deadline = time.monotonic() + timeout
    with open(path, "w") as f:
        while True:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{path} held by another process for {timeout:.0f}s") from None
                time.sleep(0.5)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def describe_error(exc: BaseException, settings: Neo4jSettings) -> str | None:
    """One line saying what went wrong, for a driver exception; ``None`` for anything else.

    The password never shows, even when the driver's own message quotes it.

    >>> from neo4j.exceptions import ServiceUnavailable
    >>> describe_error(ServiceUnavailable("Couldn't connect to x:1:\\nFailed (reason Connection refused)"),
    ...                Neo4jSettings())
    'cannot reach Neo4j at bolt://127.0.0.1:7687: Connection refused'
    """
    message = _describe(exc, settings)
    return None if message is None else _redact(message, settings)


def _describe(exc: BaseException, settings: Neo4jSettings) -> str | None:
    """One line for *exc*, before the password is taken out (:func:`describe_error`)."""
    from neo4j.exceptions import (
        AuthError,
        ClientError,
        ConfigurationError,
        CypherSyntaxError,
        DriverError,
        Neo4jError,
        ServiceUnavailable,
    )

    def first_line(text: object) -> str:
        lines = [ln.strip() for ln in str(text).splitlines() if ln.strip()]
        return lines[0] if lines else type(exc).__name__

    where = settings.uri
    if isinstance(exc, AuthError) or getattr(exc, "code", "") == "Neo.ClientError.Security.Unauthorized":
        who = f"user {settings.user!r}" if settings.user else "no credentials (set NEO4J_USER)"
        return f"Neo4j at {where} refused {who}: authentication failed"
    if isinstance(exc, ServiceUnavailable):
        text = " ".join(str(exc).split())
        reason = re.search(r"\(reason (.*)\)\s*$", text)
        return f"cannot reach Neo4j at {where}: {reason.group(1) if reason else text}"
    if isinstance(exc, CypherSyntaxError):
        return f"Cypher syntax error: {first_line(exc.message)}"
    if isinstance(exc, ClientError) and exc.code == "Neo.ClientError.Database.DatabaseNotFound":
        return f"database {settings.database!r} does not exist at {where}"
    if isinstance(exc, ClientError) and exc.code == "Neo.ClientError.Statement.AccessMode":
        return "Neo4j refused to write: the query writes and was run read-only (kg cypher --write to allow)"
    if isinstance(exc, Neo4jError):
        return f"Neo4j error {exc.code}: {first_line(exc.message)}"
    if isinstance(exc, ConfigurationError | DriverError):
        return f"Neo4j driver: {first_line(exc)}"
    return None


class WriteRefused(StoreError):
    """A query that writes, refused by the server because it ran in a read transaction (one line)."""


@contextmanager
def neo4j_errors(settings: Neo4jSettings) -> Iterator[None]:
    """Turn driver exceptions into :class:`kg.stores.StoreError` with one line (see :func:`describe_error`);
    a write refused in a read transaction is a :class:`WriteRefused`."""
    try:
        yield
    except StoreError:
        raise
    except Exception as e:
        message = describe_error(e, settings)
        if message is None:
            raise
        refused = getattr(e, "code", "") == "Neo.ClientError.Statement.AccessMode"
        raise (WriteRefused if refused else StoreError)(message) from None
