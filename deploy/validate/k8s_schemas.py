#!/usr/bin/python3
"""Offline JSON schemas for kubeconform, made from packages of the project's registries.

  k8s_schemas.py core SOURCE_DIR DEST_DIR
      SOURCE_DIR is a `v1.30.0-local-strict` folder of the PyPI package kubernetes-validate: one
      file per definition whose $refs point into a shared _definitions.json. kubeconform needs
      standalone files, so each resource kind's schema gets the definitions it reaches inlined.
  k8s_schemas.py crd CRD_YAML DEST_DIR
      A CustomResourceDefinition (KEDA's, the Prometheus operator's, from the Go module proxy)
      becomes one strict schema per served version, named <group>/<kind>_<version>.json.
"""
import json
import os
import sys

import yaml

DEFS = "#/$defs/"


def inline(schema, definitions):
    """The schema with the definitions it reaches copied into its own $defs."""
    reached = {}

    def rewrite(node, found):
        if isinstance(node, dict):
            out = {}
            for key, value in node.items():
                if key == "$ref" and isinstance(value, str) and DEFS in value:
                    name = value.split(DEFS, 1)[1]
                    found.add(name)
                    out[key] = DEFS + name
                else:
                    out[key] = rewrite(value, found)
            return out
        if isinstance(node, list):
            return [rewrite(item, found) for item in node]
        return node

    pending = set()
    result = rewrite(schema, pending)
    while pending:
        name = pending.pop()
        if name in reached:
            continue
        found = set()
        reached[name] = rewrite(definitions[name], found)
        pending |= found - reached.keys()
    if reached:
        result["$defs"] = reached
    return result


def core(source, dest):
    definitions = json.load(open(os.path.join(source, "_definitions.json")))["$defs"]
    os.makedirs(dest, exist_ok=True)
    written = 0
    for name in sorted(os.listdir(source)):
        if not name.endswith(".json") or name in ("_definitions.json", "all.json"):
            continue
        schema = json.load(open(os.path.join(source, name)))
        # Only resource kinds (they name their apiVersion/kind); parts of kinds are never top level.
        if "enum" not in schema.get("properties", {}).get("kind", {}):
            continue
        with open(os.path.join(dest, name), "w") as out:
            json.dump(inline(schema, definitions), out)
        written += 1
    print(f"k8s_schemas: {written} resource kinds in {dest}")


def strict(node):
    """kubeconform's strict mode for CRDs: no property a schema does not declare."""
    if isinstance(node, dict):
        node = {key: strict(value) for key, value in node.items()}
        if (node.get("type") == "object" and "properties" in node and "additionalProperties" not in node
                and not node.get("x-kubernetes-preserve-unknown-fields")):
            node["additionalProperties"] = False
        return node
    if isinstance(node, list):
        return [strict(item) for item in node]
    return node


def crd(path, dest):
    document = yaml.safe_load(open(path))
    spec = document["spec"]
    group, kind = spec["group"], spec["names"]["kind"]
    os.makedirs(os.path.join(dest, group), exist_ok=True)
    for version in spec["versions"]:
        schema = strict(version["schema"]["openAPIV3Schema"])
        properties = schema.setdefault("properties", {})
        properties["apiVersion"] = {"type": "string", "enum": [f"{group}/{version['name']}"]}
        properties["kind"] = {"type": "string", "enum": [kind]}
        properties["metadata"] = {"type": "object"}
        target = os.path.join(dest, group, f"{kind.lower()}_{version['name']}.json")
        with open(target, "w") as out:
            json.dump(schema, out)
        print(f"k8s_schemas: {group}/{kind} {version['name']} -> {target}")


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("core", "crd"):
        sys.exit(__doc__)
    (core if sys.argv[1] == "core" else crd)(sys.argv[2], sys.argv[3])
