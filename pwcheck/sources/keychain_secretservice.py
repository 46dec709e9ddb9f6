"""Linux (and BSD) keychains through the Secret Service D-Bus API.

GNOME Keyring, KeePassXC's Secret Service integration and KDE 6's ksecretd all serve it.
Every unlocked collection is read (or the ones `--collection` names); a locked one is
reported, never unlocked: unlocking needs a prompt, which without a display would wait
forever. Every D-Bus call, from the bus handshake on, has a time limit for the same
reason, so a wedged keyring daemon ends the keychain read with one clear line.

Apps describe items with attributes, not URLs; which attributes name the site and the
account is a table below (`SITE_ATTRIBUTES`, `USERNAME_ATTRIBUTES`), as is what is
not a website or app credential at all (`SKIP_RULES`), such as Chrome's own
encryption key, whose secret is then never fetched. Secrets come over a Diffie-Hellman
encrypted session (as secretstorage opens it), a batch per call, and each is hashed as
soon as its item is mapped.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator, Mapping

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from jeepney import DBusErrorResponse, Properties
from jeepney.bus import get_connectable_addresses
from jeepney.io.blocking import DBusConnection, prep_socket
from secretstorage import Collection, check_service_availability
from secretstorage.collection import COLLECTION_IFACE
from secretstorage.dhcrypto import Session
from secretstorage.exceptions import ItemNotFoundException, SecretServiceNotAvailableException
from secretstorage.item import ITEM_IFACE
from secretstorage.util import SERVICE_IFACE, DBusAddressWrapper, open_session

from pwcheck.model.credential import Skipped
from pwcheck.model.errors import InputError
from pwcheck.model.source import SourceEvent
from pwcheck.sources._site import network_url, url_in_text
from pwcheck.sources._time import from_epoch_s
from pwcheck.sources.interface import make_credential, with_skip_summary
from pwcheck.sources.keychain import SOURCE, KeychainRequest

LABEL = "Secret Service"
FORMAT = "secret-service"
LOCKED = "locked: unlock it in your keyring app, then rerun"
SS_PATH = "/org/freedesktop/secrets"
SECRETS_PER_CALL = 64  # items whose secrets one GetSecrets call fetches (decrypted, they live until hashed)

Attributes = Mapping[str, str]


def _url(key: str) -> Callable[[Attributes], str | None]:
    return lambda attrs: url_in_text(attrs[key])


def _network(host_key: str) -> Callable[[Attributes], str | None]:
    return lambda attrs: network_url(attrs.get("protocol"), attrs[host_key], attrs.get("port"), attrs.get("object"))


# Attribute -> how it names the site, most specific first. Every one present adds a URL;
# the first is the credential's URL, the others its `other_urls`.
SITE_ATTRIBUTES: tuple[tuple[str, Callable[[Attributes], str | None]], ...] = (
    ("uri", _url("uri")),  # GNOME Web (org.epiphany.FormPassword)
    ("origin_url", _url("origin_url")),  # Chromium's old libsecret password store
    ("target_origin", _url("target_origin")),  # GNOME Web
    ("action_url", _url("action_url")),  # Chromium's old store: the form's target
    ("signon_realm", _url("signon_realm")),  # Chromium's old store
    ("url", _url("url")),
    ("server", _network("server")),  # org.gnome.keyring.NetworkPassword: protocol://server:port/object
    ("host", _network("host")),
    ("domain", _url("domain")),  # NetworkPassword's domain is often an SMB workgroup: only if host-like
    ("service", _url("service")),  # keyring, secret-tool: `git:https://github.com`, `gh:github.com`
)
# The account name, first present wins. Not GNOME Web's `form_username`: that is the
# *name* of the form field (`email`), not the account; its `username` holds the account.
USERNAME_ATTRIBUTES: tuple[str, ...] = ("username", "user", "account", "username_value", "login")


@dataclass(frozen=True)
class SkipRule:
    """Items that are not website or app credentials, recognised by one attribute (or the label)."""

    reason: str
    attribute: str
    equals: tuple[str, ...] = ()
    prefix: str | None = None
    suffix: str | None = None

    def matches(self, label: str, attrs: Attributes) -> bool:
        value = label if self.attribute == "label" else attrs.get(self.attribute)
        if value is None:
            return False
        if self.equals:
            return value in self.equals
        if self.prefix is not None:
            return value.startswith(self.prefix)
        if self.suffix is not None:
            return value.endswith(self.suffix)
        return True  # the attribute's presence is enough


BROWSER_KEY = "browser's encryption key, not a website credential"
SKIP_RULES: tuple[SkipRule, ...] = (
    SkipRule(BROWSER_KEY, "xdg:schema", prefix="chrome_libsecret_os_crypt_password"),  # Chrome, Chromium, Electron apps
    SkipRule(BROWSER_KEY, "label", suffix=" Safe Storage"),  # "Chrome Safe Storage", "Brave Safe Storage"...
    SkipRule("secure note", "xdg:schema", equals=("org.gnome.keyring.Note",)),
    SkipRule("GNOME Online Accounts token", "goa-identity"),
    SkipRule("pwcheck's own secret", "service", equals=("pwcheck",)),
)


@contextmanager
def _bus(timeout: float) -> Iterator[DBusConnection]:
    """A connection for one read, closed after it; a D-Bus failure on the way becomes one InputError."""
    connection = open_bus(timeout)
    try:
        yield connection
    except TimeoutError:
        raise InputError(SOURCE, f"the Secret Service did not answer within {timeout:g} s") from None
    except SecretServiceNotAvailableException:
        raise InputError(SOURCE, "the Secret Service went away while reading") from None
    except DBusErrorResponse as exc:
        raise InputError(SOURCE, f"Secret Service error ({exc.name})") from None
    finally:
        connection.close()


def read(request: KeychainRequest) -> Iterator[SourceEvent]:
    """Every item of the chosen collections; D-Bus failures become one InputError."""
    with _bus(request.timeout) as connection:
        yield from _read_collections(connection, request)


def find_secret(attributes: dict[str, str], timeout: float) -> bytes | None:
    """The secret of the first unlocked item having these attributes; None when no item has them.

    For one known item (a browser's "… Safe Storage" key), looked up by its attributes:
    nothing else is listed or fetched, and a locked item is an InputError saying so, never
    an unlock prompt (see the module docstring).
    """
    with _bus(timeout) as connection:
        service = DBusAddressWrapper(SS_PATH, SERVICE_IFACE, connection)
        unlocked, locked = service.call("SearchItems", "a{ss}", attributes)
        if not unlocked:
            if locked:
                raise InputError(SOURCE, f"the item is {LOCKED}")
            return None
        secrets = _get_secrets(connection, open_session(connection), [unlocked[0]])
        return secrets.get(unlocked[0])


class TimedConnection(DBusConnection):
    """A jeepney connection whose every call (the bus `Hello` included) has a time limit.

    secretstorage calls `send_and_get_reply` without a timeout; this supplies one.
    """

    def __init__(self, sock, call_timeout: float) -> None:  # type: ignore[no-untyped-def]
        self.call_timeout = call_timeout
        super().__init__(sock)

    def send_and_get_reply(self, message, *, timeout=None):  # type: ignore[no-untyped-def]
        return super().send_and_get_reply(message, timeout=self.call_timeout if timeout is None else timeout)


def session_bus_address() -> str:
    """$DBUS_SESSION_BUS_ADDRESS, else the systemd user bus socket, else an InputError."""
    address = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
    if address:
        return address
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and os.path.exists(os.path.join(runtime, "bus")):
        return "unix:path=" + os.path.join(runtime, "bus")
    raise InputError(
        SOURCE, "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set): the Secret Service needs a desktop session"
    )


def open_bus(timeout: float) -> TimedConnection:
    """Connect to the session bus and check that a Secret Service is there (or activatable)."""
    address = session_bus_address()
    try:
        sock = prep_socket(next(get_connectable_addresses(address)), timeout=timeout)
        connection = TimedConnection(sock, timeout)
    except TimeoutError:
        raise InputError(SOURCE, f"the D-Bus session bus did not answer within {timeout:g} s") from None
    except RuntimeError:
        raise InputError(SOURCE, "the D-Bus session bus address uses a transport other than unix sockets") from None
    except (OSError, ValueError, StopIteration) as exc:
        raise InputError(SOURCE, f"cannot connect to the D-Bus session bus ({type(exc).__name__})") from None
    try:
        available = check_service_availability(connection)
    except TimeoutError:
        connection.close()
        raise InputError(SOURCE, f"the D-Bus session bus did not answer within {timeout:g} s") from None
    if not available:
        connection.close()
        raise InputError(
            SOURCE,
            "no Secret Service on the session bus: start GNOME Keyring, KeePassXC (with Secret Service "
            "integration) or KDE's ksecretd, or audit an export file instead",
        )
    return connection


@dataclass(frozen=True)
class _Collection:
    handle: Collection
    ident: str  # last element of the object path: `login`, `session`
    label: str

    @property
    def name(self) -> str:
        return self.label or self.ident


def collections(connection: DBusConnection) -> list[_Collection]:
    """Every collection the service offers, with its label."""
    service = DBusAddressWrapper(SS_PATH, SERVICE_IFACE, connection)
    found = []
    for path in service.get_property("Collections"):
        handle = Collection(connection, path)
        found.append(_Collection(handle, path.rsplit("/", 1)[-1], handle.get_label()))
    return found


def select(connection: DBusConnection, available: list[_Collection], wanted: tuple[str, ...]) -> list[_Collection]:
    """The collections named by label, id or alias (`default`), case-insensitively; all if none named."""
    if not wanted:
        return available
    chosen: list[_Collection] = []
    for name in wanted:
        key = name.casefold()
        matches = [c for c in available if key in (c.label.casefold(), c.ident.casefold())]
        if not matches:
            path = _alias(connection, name)
            matches = [c for c in available if c.handle.collection_path == path]
        if not matches:
            names = ", ".join(c.name for c in available) or "none"
            raise InputError(SOURCE, f"no collection named {name!r} (collections: {names})")
        chosen.extend(c for c in matches if c not in chosen)
    return chosen


@dataclass(frozen=True)
class ItemInfo:
    """An item's properties, fetched in one `GetAll` call."""

    path: str
    label: str
    attributes: dict[str, str]
    modified: int

    @property
    def skip_reason(self) -> str | None:
        return next((rule.reason for rule in SKIP_RULES if rule.matches(self.label, self.attributes)), None)


def item_event(source: str, info: ItemInfo, secret: bytes) -> SourceEvent:
    """One item as a credential, or the reason it is skipped; the secret is hashed here."""
    try:
        password = secret.decode("utf-8")
    except UnicodeDecodeError:
        return Skipped(source, None, "secret is binary data, not a text password")
    attrs = info.attributes
    urls = [url for key, build in SITE_ATTRIBUTES if attrs.get(key) and (url := build(attrs))]
    if not urls:
        label_url = url_in_text(info.label)
        urls = [label_url] if label_url else []
    return make_credential(
        source,
        FORMAT,
        None,
        password=password,
        title=info.label,
        urls=list(dict.fromkeys(urls)),
        username=next((attrs[key] for key in USERNAME_ATTRIBUTES if attrs.get(key)), None),
        changed=from_epoch_s(info.modified),
        changed_kind="edit",
    )


def _read_collections(connection: DBusConnection, request: KeychainRequest) -> Iterator[SourceEvent]:
    chosen = select(connection, collections(connection), request.collections)
    session = open_session(connection) if chosen else None
    for collection in chosen:
        source = f"{SOURCE}:{collection.name}"
        if collection.handle.is_locked():
            yield InputError(source, LOCKED)
            continue
        assert session is not None  # opened above whenever a collection was chosen
        yield from with_skip_summary(source, _collection_events(connection, session, source, collection))


def _collection_events(connection: DBusConnection, session: Session, source: str, collection: _Collection) -> Iterator[SourceEvent]:
    """Properties one call per item, secrets one call per batch: 1 round trip per item instead of 6."""
    paths = DBusAddressWrapper(collection.handle.collection_path, COLLECTION_IFACE, connection).get_property("Items")
    for start in range(0, len(paths), SECRETS_PER_CALL):
        infos = [_item_info(connection, path) for path in paths[start : start + SECRETS_PER_CALL]]
        wanted = [info.path for info in infos if info is not None and info.skip_reason is None]
        secrets = _get_secrets(connection, session, wanted)
        for info in infos:
            if info is None:
                yield Skipped(source, None, "item deleted while reading")
            elif info.skip_reason is not None:
                yield Skipped(source, None, info.skip_reason)
            elif info.path not in secrets:
                yield InputError(source, f"an item is {LOCKED}")  # the service withholds locked items' secrets
            else:
                yield item_event(source, info, secrets.pop(info.path))
        secrets.clear()


def _item_info(connection: DBusConnection, path: str) -> ItemInfo | None:
    item = DBusAddressWrapper(path, ITEM_IFACE, connection)
    try:
        (props,) = item.send_and_get_reply(Properties(item).get_all())
    except ItemNotFoundException:
        return None
    values = {name: value for name, (_, value) in props.items()}
    return ItemInfo(path, str(values.get("Label", "")), dict(values.get("Attributes", {})), int(values.get("Modified", 0)))


def _get_secrets(connection: DBusConnection, session: Session, paths: list[str]) -> dict[str, bytes]:
    """`GetSecrets` for many items at once, decrypted with the session's AES key."""
    if not paths:
        return {}
    service = DBusAddressWrapper(SS_PATH, SERVICE_IFACE, connection)
    (found,) = service.call("GetSecrets", "aoo", paths, session.object_path)
    return {path: _open_secret(session, secret) for path, secret in found.items()}


def _open_secret(session: Session, secret: tuple) -> bytes:  # type: ignore[type-arg]
    """The plain bytes of a `(session, parameters, value, content_type)` secret."""
    _, parameters, value, _ = secret
    if not session.encrypted:
        return bytes(value)
    assert session.aes_key is not None
    decryptor = Cipher(algorithms.AES(session.aes_key), modes.CBC(bytes(parameters))).decryptor()
    unpadder = padding.PKCS7(128).unpadder()
    return unpadder.update(decryptor.update(bytes(value)) + decryptor.finalize()) + unpadder.finalize()


def _alias(connection: DBusConnection, name: str) -> str | None:
    service = DBusAddressWrapper(SS_PATH, SERVICE_IFACE, connection)
    try:
        (path,) = service.call("ReadAlias", "s", name)
    except (DBusErrorResponse, ItemNotFoundException):
        return None
    return path if path and path != "/" else None


