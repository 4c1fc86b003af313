"""Reading a PDF's structure tree, for the pack that copies it (`structure`) and the check
that walks it (`accessibility`): an element's kids, which elements own content on some of
its pages, which copy of each of its annotations a writer holds, and its role and class maps
merged into another's (a name the other maps differently renamed).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pypdf is imported when a pack is made, not by every run
    from pypdf import PageObject, PdfWriter
    from pypdf.generic import IndirectObject


def dereferenced(reference: Any) -> Any:
    """The object a reference points at (pypdf types it loosely)."""
    return reference.get_object()


def structure_kids(element: Any) -> Iterator[Any]:
    """A structure element's (or tree root's) kids, as given: /K is one kid or an array."""
    from pypdf.generic import ArrayObject

    kids = element.get("/K")
    if kids is None:
        return iter(())
    resolved = kids.get_object()
    return iter(resolved) if isinstance(resolved, ArrayObject) else iter([kids])


def needed_elements(tree: Any, originals: Sequence[PageObject]) -> set[int] | None:
    """The object numbers of the elements that own content on the pages (by the parent
    tree), and of their ancestors; None if the tree has no parent tree to tell."""
    from pypdf.generic import ArrayObject, IndirectObject

    numbers = _numbers(tree.get("/ParentTree"), 0)
    if not numbers:
        return None
    owners: list[Any] = []
    for page in originals:
        key = page.get("/StructParents")
        found = dereferenced(numbers[key]) if isinstance(key, int) and key in numbers else None
        owners += list(found) if isinstance(found, ArrayObject) else []
        annotations = page.get("/Annots")
        for annotation in dereferenced(annotations) if annotations is not None else ():
            key = dereferenced(annotation).get("/StructParent")
            owners += [numbers[key]] if isinstance(key, int) and key in numbers else []
    needed: set[int] = set()
    for owner in owners:
        while isinstance(owner, IndirectObject) and owner.idnum not in needed:
            needed.add(owner.idnum)
            owner = dereferenced(owner).get("/P")
    return needed


def _numbers(node: Any, depth: int) -> dict[int, Any]:
    """A number tree's keys and values (as given, not resolved)."""
    from pypdf.generic import ArrayObject, DictionaryObject

    node = dereferenced(node) if node is not None else None
    if not isinstance(node, DictionaryObject) or depth > 20:
        return {}
    found: dict[int, Any] = {}
    pairs = dereferenced(node.raw_get("/Nums")) if "/Nums" in node else None
    if isinstance(pairs, ArrayObject):
        found.update(
            (int(key), value) for key, value in zip(pairs[::2], pairs[1::2], strict=False)
            if isinstance(key, int)
        )  # fmt: skip
    kids = dereferenced(node.raw_get("/Kids")) if "/Kids" in node else None
    for kid in kids if isinstance(kids, ArrayObject) else ():
        found.update(_numbers(kid, depth + 1))
    return found


def annotation_copies(
    originals: Sequence[PageObject], copies: Sequence[PageObject]
) -> dict[int, IndirectObject]:
    """Each source annotation in the structure (by object number) to its copy, matched by
    the key into the parent tree that pypdf copies with it."""
    from pypdf.generic import IndirectObject

    def keyed(page: PageObject) -> dict[int, Any]:
        annotations = page.get("/Annots")
        found = {}
        for annotation in annotations.get_object() if annotations is not None else ():
            key = annotation.get_object().get("/StructParent")
            if isinstance(key, int):
                found[int(key)] = annotation
        return found

    matched = {}
    for original, copy in zip(originals, copies, strict=True):
        copied = keyed(copy)
        for key, annotation in keyed(original).items():
            if isinstance(annotation, IndirectObject) and key in copied:
                matched[annotation.idnum] = copied[key]
    return matched


def merge_names(mine: Any, theirs: Any, writer: PdfWriter, names: bool) -> dict[str, str]:
    """`theirs` (a source's role map, or class map) added to `mine`; a name `mine` already
    has for something else is renamed. Returns the renames."""
    from pypdf.generic import DictionaryObject, NameObject

    theirs = theirs.get_object() if theirs is not None else None
    if not isinstance(theirs, DictionaryObject):
        return {}
    renames: dict[str, str] = {}
    for key, value in theirs.items():
        if key in mine and mine[key] != value.get_object():
            number = 2
            while f"{key}_{number}" in mine or f"{key}_{number}" in theirs:
                number += 1
            renames[key] = f"{key}_{number}"
    for key, value in theirs.items():
        if names and isinstance(value, NameObject):
            mine[NameObject(renames.get(key, key))] = NameObject(renames.get(value, value))
        elif not names:
            mine[NameObject(renames.get(key, key))] = value.clone(writer)
    return renames


def renamed_classes(classes: Any, renames: dict[str, str]) -> Any:
    """An element's /C (a class name, or an array of them and revision numbers) renamed."""
    from pypdf.generic import ArrayObject, NameObject

    if isinstance(classes, NameObject):
        return NameObject(renames.get(classes, classes))
    if isinstance(classes, ArrayObject):
        return ArrayObject(renamed_classes(c, renames) for c in classes)
    return classes
