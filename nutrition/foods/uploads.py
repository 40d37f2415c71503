"""A FoodData Central download uploaded as a zip: checked, then unpacked safely.

What an upload may be: a real zip archive, at most `FOOD_IMPORT_MAX_UPLOAD_BYTES`, holding the
CSV files the FDC importer reads (at the top or in one folder, as USDA's downloads have them),
whose sizes add up to at most `FOOD_IMPORT_MAX_UNPACKED_BYTES`. Other members of the download
(the other CSV files, the PDF) are left packed. A member whose name climbs out of its folder
or starts at the root, a link, or an encrypted member refuses the whole archive. Unpacking
writes each file under its own base name in a fresh folder (never a path taken from the
archive) and stops at the declared size whatever the data says."""

import shutil
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings

from nutrition.foods.importers import fdc

EXPECTED = frozenset({*fdc.REQUIRED_FILES, "branded_food.csv"})
CHUNK = 1 << 20


class UnsafeArchive(Exception):
    """What is wrong with the upload, in words for the person who uploaded it."""


@dataclass(frozen=True)
class Member:
    name: str  # the expected file name it will have
    info: zipfile.ZipInfo


def _limits() -> tuple[int, int]:
    return settings.FOOD_IMPORT_MAX_UPLOAD_BYTES, settings.FOOD_IMPORT_MAX_UNPACKED_BYTES


def _climbs_out(name: str) -> bool:
    if "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return True
    return any(part == ".." for part in PurePosixPath(name).parts)


def members(archive: Path | str, *, size: int | None = None) -> list[Member]:
    """The expected CSV files of the archive; UnsafeArchive when it must not be unpacked."""
    max_upload, max_unpacked = _limits()
    size = size if size is not None else Path(archive).stat().st_size
    if size > max_upload:
        raise UnsafeArchive(f"The file is larger than {max_upload:,} bytes.")
    if not zipfile.is_zipfile(archive):
        raise UnsafeArchive("This is not a zip archive.")
    try:
        with zipfile.ZipFile(archive) as opened:
            infos = opened.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnsafeArchive("This zip archive cannot be read.") from exc
    found: dict[str, Member] = {}
    folders = set()
    for info in infos:
        if _climbs_out(info.filename):
            raise UnsafeArchive(f"The archive holds a path outside its folder: {info.filename!r}.")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise UnsafeArchive(f"The archive holds a link: {info.filename!r}.")
        if info.is_dir():
            continue
        path = PurePosixPath(info.filename)
        if path.name not in EXPECTED:
            continue  # another file of the download: left packed
        if info.flag_bits & 0x1:
            raise UnsafeArchive(f"{path.name} is encrypted.")
        if path.name in found or len(path.parts) > 2:
            raise UnsafeArchive(
                f"Put the CSV files at the top of the archive or in one folder ({path.name})."
            )
        found[path.name] = Member(path.name, info)
        folders.add(path.parent)
    if len(folders) > 1:
        raise UnsafeArchive("The CSV files are in more than one folder.")
    missing = sorted(set(fdc.REQUIRED_FILES) - set(found))
    if missing:
        raise UnsafeArchive(f"Not a FoodData Central CSV download: missing {', '.join(missing)}.")
    if sum(m.info.file_size for m in found.values()) > max_unpacked:
        raise UnsafeArchive(f"The CSV files would unpack to more than {max_unpacked:,} bytes.")
    return sorted(found.values(), key=lambda m: m.name)


def unpack(archive: Path, folder: Path) -> None:
    """Check the archive again, then write its expected CSV files into `folder` (which must
    be empty), each under its own name; UnsafeArchive if anything is wrong."""
    _, max_unpacked = _limits()
    written = 0
    with zipfile.ZipFile(archive) as opened:
        for member in members(archive):
            target = folder / member.name
            try:
                with opened.open(member.info) as source, target.open("xb") as out:
                    left = member.info.file_size
                    while chunk := source.read(min(CHUNK, left + 1)):
                        written += len(chunk)
                        left -= len(chunk)
                        if left < 0 or written > max_unpacked:
                            raise UnsafeArchive(f"{member.name} unpacks to more than it declares.")
                        out.write(chunk)
            except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
                raise UnsafeArchive(f"{member.name} is damaged in the archive.") from exc


def remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
