"""Validates Disan's OpenAPI 3.1 document and real responses against it (tests/it/openapi.rs).

Reads JSON on standard input: {"document": <the document>, "cases": [{"path": <template>,
"status": <int>, "content_type": <str>, "body": <JSON>, "asked": <the URL asked>}]}.
The document is checked with openapi-spec-validator; each response with openapi-schema-validator
(JSON Schema 2020-12 with OpenAPI 3.1's vocabulary) against the schema the document gives for
that path, GET, status and media type, `$ref`s resolved inside the document. Prints one line per
failure and exits 1 when there is any; a case whose path, status or media type the document does
not describe is a failure too.
"""

import json
import sys

from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate as validate_spec
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

BASE = "urn:disan:openapi"


def pointer(*parts):
    return "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def main():
    given = json.load(sys.stdin)
    document = given["document"]
    validate_spec(document)
    resource = Resource.from_contents(document, default_specification=DRAFT202012)
    registry = Registry().with_resource(BASE, resource)
    failures = []
    for case in given["cases"]:
        where = f'{case["asked"]} ({case["status"]})'
        if "schema" in case:
            # An answer outside the paths (an /api/ path that is no route): a named schema.
            ref = case["schema"]
        else:
            ref = reference(document, case, where, failures)
        if ref is None:
            continue
        validator = OAS31Validator({"$ref": BASE + ref}, registry=registry)
        for error in validator.iter_errors(case["body"]):
            at = "/".join(str(p) for p in error.absolute_path)
            failures.append(f"{where}: at /{at}: {error.message[:300]}")
    for failure in failures:
        print(failure)
    print(f"{len(given['cases'])} responses checked, {len(failures)} failures", file=sys.stderr)
    sys.exit(1 if failures else 0)


def reference(document, case, where, failures):
    """The JSON pointer of the schema the document gives the case's answer, or None (and a
    failure) when it describes none."""
    operation = document["paths"].get(case["path"], {}).get("get")
    if operation is None:
        failures.append(f"{where}: the document has no GET {case['path']}")
        return None
    response = operation["responses"].get(str(case["status"]))
    if response is None:
        failures.append(f"{where}: GET {case['path']} describes no {case['status']} response")
        return None
    media = case["content_type"].split(";")[0].strip()
    if media not in response.get("content", {}):
        failures.append(f"{where}: {media} is not among {list(response.get('content', {}))}")
        return None
    return "#/" + pointer("paths", case["path"], "get", "responses", str(case["status"]), "content", media, "schema")


main()
