#!/usr/bin/env python3
"""Wrapper around ocfl-py (2.1.0) storage-root validation, for CI.

Why: `ocfl-validate.py ROOT` (ocfl-py 2.1.0)
  * rejects ocfl_layout.json naming 0004-hashed-n-tuple-storage-layout (E071:
    layout not in ocfl-py's layout registry) and stops before looking at objects;
  * prints NOTHING for a storage root (messages are collected but never printed);
  * exits 0 even when objects inside the root are INVALID (only storage-root
    traversal errors affect the result).
This wrapper registers a 0004 layout class, prints all messages, fails if any
object is invalid, and (optionally) checks each object sits at its 0004 path.

Usage: python3 ocfl_validate_root.py [--no-warnings] [--no-check-digests] [--no-path-check] ROOT...
Exit: 0 all valid, 1 otherwise.
"""
import hashlib
import logging
import sys

import ocfl

logging.getLogger().setLevel(logging.WARNING)  # importing ocfl leaves root logger at INFO
from ocfl.layout import Layout, LayoutException
from ocfl.layout_registry import add_layout

NAME_0004 = "0004-hashed-n-tuple-storage-layout"


class Layout_0004_Hashed_N_Tuple(Layout):
    """https://ocfl.github.io/extensions/0004-hashed-n-tuple-storage-layout.html"""

    def __init__(self):
        super().__init__()
        self.NAME = NAME_0004
        self.DESCRIPTION = "Extension 0004: Hashed N-tuple Storage Layout"
        self.digest_algorithm, self.tuple_size, self.number_of_tuples, self.short_object_root = "sha256", 3, 3, False
        self.PARAMS = {"digestAlgorithm": self._alg, "tupleSize": self._ts,
                       "numberOfTuples": self._nt, "shortObjectRoot": self._sor}

    def _alg(self, v):
        if v is not None:
            try:
                hashlib.new(v)
            except ValueError as e:
                raise LayoutException("bad digestAlgorithm %r (%s)" % (v, e))
            self.digest_algorithm = v

    def _int(self, v, name):
        if not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= 32:
            raise LayoutException("%s must be an integer 0..32" % name)
        return v

    def _ts(self, v):
        if v is not None:
            self.tuple_size = self._int(v, "tupleSize")

    def _nt(self, v):
        if v is not None:
            self.number_of_tuples = self._int(v, "numberOfTuples")

    def _sor(self, v):
        if v is not None:
            if not isinstance(v, bool):
                raise LayoutException("shortObjectRoot must be boolean")
            self.short_object_root = v

    def check_full_config(self):
        if (self.tuple_size == 0) != (self.number_of_tuples == 0):
            raise LayoutException("tupleSize and numberOfTuples must both be 0 if either is")
        n = len(hashlib.new(self.digest_algorithm, b"").hexdigest())
        if self.tuple_size * self.number_of_tuples > n:
            raise LayoutException("tupleSize*numberOfTuples exceeds digest length")
        if self.short_object_root and self.tuple_size * self.number_of_tuples == n:
            raise LayoutException("shortObjectRoot must be false when tuples use the whole digest")

    @property
    def config(self):
        return {"extensionName": self.NAME, "digestAlgorithm": self.digest_algorithm,
                "tupleSize": self.tuple_size, "numberOfTuples": self.number_of_tuples,
                "shortObjectRoot": self.short_object_root}

    def identifier_to_path(self, identifier):
        d = hashlib.new(self.digest_algorithm, identifier.encode("utf-8")).hexdigest().lower()
        ts, nt = self.tuple_size, self.number_of_tuples
        parts = [d[i * ts:(i + 1) * ts] for i in range(nt)]
        parts.append(d[ts * nt:] if self.short_object_root else d)
        return "/".join(parts)


add_layout(NAME_0004, Layout_0004_Hashed_N_Tuple)


def validate_root(path, log_warnings=True, check_digests=True, check_paths=True):
    store = ocfl.StorageRoot(root=path)
    # ocfl-py only "knows" 0002/0003 as storage-root extensions (else W901 warning)
    store.registered_extensions.append(NAME_0004)
    try:
        ok = store.validate(log_warnings=log_warnings, check_digests=check_digests)
    except LayoutException as e:  # bad config.json raises, not logged
        print("[LAYOUT] %s" % e)
        ok = False
    for m in store.log.messages:
        print(m)
    for _dirpath, messages in store.errors:
        print(messages)
    if store.num_objects != store.good_objects:
        ok = False
    if ok and check_paths and store.layout is not None:
        for dirpath, identifier in store.list_objects():
            expected = store.layout.identifier_to_path(identifier)
            if dirpath != expected:
                print("[PATH] object %r is at %s but layout %s expects %s"
                      % (identifier, dirpath, store.layout_name, expected))
                ok = False
    print("OCFL storage root %s: %d objects, %d valid -> %s"
          % (path, store.num_objects, store.good_objects, "VALID" if ok else "INVALID"))
    return ok


if __name__ == "__main__":
    args = sys.argv[1:]
    opts = {a for a in args if a.startswith("--")}
    roots = [a for a in args if not a.startswith("--")]
    if not roots:
        print(__doc__)
        sys.exit(2)
    results = [validate_root(r, log_warnings="--no-warnings" not in opts,
                             check_digests="--no-check-digests" not in opts,
                             check_paths="--no-path-check" not in opts) for r in roots]
    sys.exit(0 if all(results) else 1)
