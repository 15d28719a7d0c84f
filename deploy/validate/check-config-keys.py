#!/usr/bin/python3
"""Test: the configuration the Helm chart and the compose file give the services is configuration the
binaries accept. For every values file and for the compose stack, each service's rendered config file
and PACT__* environment go through that service's own `--check-config`, which rejects unknown keys,
bad values and missing data files. A renamed key therefore fails here, not in a rollout. Paths the
containers see are mapped to this checkout: the image's reference data to reference/, Secrets and
the chart's data ConfigMaps to files written for the check. Also: the consumer groups and topics the
chart's KEDA ScaledObjects watch are ones the services' sources declare, and the partitions the
chart caps replicas by are the ones the binaries create.

usage: check-config-keys.py --build BUILD_DIR --helm HELM --chart CHART [--values FILE]...
                            [--compose FILE --docker-compose BIN]
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BINARIES = {
    "pact-intake": "services/intake/pact-intake",
    "pact-screening": "services/screening/pact-screening",
    "pact-routing": "services/routing/pact-routing",
    "pact-notification": "services/notification/pact-notification",
    "pact-situation": "services/situation/pact-situation",
    "pact-diagnostics": "tools/diagnostics/pact-diagnostics",
}
CONFIG_PATH = "/etc/pact/config/config.yaml"
DEV_KEY = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"


class Sandbox:
    """A folder standing in for the container's file system, for the paths a config names."""

    def __init__(self, root):
        self.root = root
        self.mapping = {"/usr/share/pact/reference": os.path.join(ROOT, "reference")}
        secrets = os.path.join(root, "secrets")
        for name in ("intake/master.key", "intake/id.key", "intake/blind-index.key", "notification/ack.key",
                     "webhooks/sample-webhook", "redis/password", "smtp/password"):
            self.write(os.path.join(secrets, name), DEV_KEY)
        self.write(os.path.join(secrets, "kafka-tls/ca.crt"), "")
        # The chart's per-service TLS Secret, and the compose stack's local PKI (make-local-pki.sh).
        for name in ("tls/tls.crt", "tls/tls.key", "tls/ca.crt", "tls/token-keys/local-1.pem"):
            self.write(os.path.join(secrets, name), "")
        for service in ("intake", "screening", "routing", "notification", "situation", "diagnostics"):
            for extension in ("crt", "key"):
                self.write(os.path.join(secrets, f"tls/{service}.{extension}"), "")
        self.mapping["/var/run/secrets/pact"] = secrets
        self.mapping["/usr/share/pact/security"] = os.path.join(ROOT, "deploy", "security")
        # The console page the image carries (deploy/docker/Dockerfile's console stage builds it):
        # situation.console.directory must hold an index.html.
        console = os.path.join(root, "console")
        self.write(os.path.join(console, "index.html"), "<!doctype html><title>console</title>\n")
        self.mapping["/usr/share/pact/console"] = console

    @staticmethod
    def write(path, text):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as out:
            out.write(text)

    def add_config_map(self, mount_path, data):
        folder = os.path.join(self.root, "mounts", mount_path.strip("/").replace("/", "_"))
        for name, content in data.items():
            self.write(os.path.join(folder, name), content)
        self.mapping[mount_path] = folder

    def localise(self, text):
        # Longest prefix first: /etc/pact/sop before /etc/pact.
        for prefix in sorted(self.mapping, key=len, reverse=True):
            text = re.sub(re.escape(prefix) + r"(?=[/\s\]\"',]|$)", self.mapping[prefix], text, flags=re.M)
        return text


def check(build, binary, config_text, environment, what, sandbox):
    config_file = os.path.join(sandbox.root, f"{what.replace('/', '_')}.yaml")
    sandbox.write(config_file, sandbox.localise(config_text))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PACT_")}
    env.update(environment)
    run = subprocess.run([os.path.join(build, BINARIES[binary]), "--check-config", "--config", config_file],
                         env=env, capture_output=True, text=True)
    return run.returncode, (run.stdout + run.stderr).strip()


def expand(value, known):
    # Kubernetes expands $(VAR) from earlier variables; a secret's value is any text here.
    return re.sub(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", lambda m: known.get(m.group(1), "from-a-secret"), value)


def reference_data_arguments():
    """--set-file arguments that give the chart the repository's reference data as its own files,
    so the data ConfigMaps, their mounts and the paths in the configuration are checked too."""
    arguments = []
    def add(value_path, folder):
        for name in sorted(os.listdir(os.path.join(ROOT, folder))):
            if name.endswith(".yaml"):
                arguments.extend(["--set-file", f"{value_path}.{name.replace('.', chr(92) + '.')}={os.path.join(ROOT, folder, name)}"])
    add("screening.catalogueFiles", "reference/screening/catalogues")
    add("routing.sopFiles", "reference/routing/sop")
    add("notification.templateFiles", "reference/notification/templates")
    arguments += ["--set-file", f"screening.messagesFile={ROOT}/reference/screening/messages.yaml",
                  "--set", "routing.directory=file",
                  "--set-file", f"routing.directoryJson={ROOT}/reference/routing/directory/sample-directory.json"]
    return arguments


def chart_cases(helm, chart, values_file, sandbox, extra_arguments=(), label=None):
    command = [helm, "template", "check", chart, "--kube-version", "1.30.0", *extra_arguments]
    if values_file:
        command += ["-f", values_file]
    rendered = subprocess.run(command, capture_output=True, text=True)
    if rendered.returncode != 0:
        sys.exit(f"helm template failed for {values_file or 'default values'}:\n{rendered.stderr}")
    documents = [d for d in yaml.safe_load_all(rendered.stdout) if d]
    config_maps = {d["metadata"]["name"]: d.get("data", {}) for d in documents if d["kind"] == "ConfigMap"}
    cases = []
    for deployment in (d for d in documents if d["kind"] == "Deployment"):
        pod = deployment["spec"]["template"]["spec"]
        container = pod["containers"][0]
        volumes = {v["name"]: v for v in pod.get("volumes", [])}
        config_text = None
        for mount in container.get("volumeMounts", []):
            source = volumes[mount["name"]].get("configMap")
            if not source:
                continue
            data = config_maps[source["name"]]
            if "config.yaml" in data and mount["mountPath"] == os.path.dirname(CONFIG_PATH):
                config_text = data["config.yaml"]
            else:
                sandbox.add_config_map(mount["mountPath"], data)
        binary = container["command"][0]
        if container.get("args") != ["--config", CONFIG_PATH] or config_text is None:
            sys.exit(f"{deployment['metadata']['name']}: expected --config {CONFIG_PATH} from the config ConfigMap")
        environment = {}
        for variable in container.get("env", []):
            if "value" in variable:
                environment[variable["name"]] = expand(variable["value"], environment)
            else:
                environment[variable["name"]] = "from-a-secret"
        cases.append((binary, config_text, {k: v for k, v in environment.items() if k.startswith("PACT__")},
                      f"{label or os.path.basename(values_file or 'values.yaml')}:{deployment['metadata']['name']}"))
    return cases


def compose_cases(docker_compose, compose_file):
    rendered = subprocess.run([docker_compose, "-f", compose_file, "config"], capture_output=True, text=True)
    if rendered.returncode != 0:
        sys.exit(f"docker-compose config failed:\n{rendered.stderr}")
    stack = yaml.safe_load(rendered.stdout)
    cases = []
    for name, service in stack["services"].items():
        command = service.get("command") or []
        if not command or command[0] not in BINARIES:
            continue
        if command[1:] != ["--config", CONFIG_PATH]:
            sys.exit(f"compose service {name}: expected --config {CONFIG_PATH}")
        mounted = None
        for volume in service.get("volumes", []):
            source, target = (volume["source"], volume["target"]) if isinstance(volume, dict) else volume.split(":")[:2]
            if target == CONFIG_PATH:
                mounted = source if os.path.isabs(source) else os.path.join(os.path.dirname(compose_file), source)
        if mounted is None:
            sys.exit(f"compose service {name}: nothing mounted at {CONFIG_PATH}")
        environment = service.get("environment") or {}
        if isinstance(environment, list):
            environment = dict(item.split("=", 1) for item in environment)
        cases.append((command[0], open(mounted).read(),
                      {k: str(v) for k, v in environment.items() if k.startswith("PACT__")}, f"compose:{name}"))
    return cases


def declared_consumers():
    """(group, topic) pairs the services' sources declare: `.group = ...` with its `.topics = ...`
    in each main.cpp (a conditional names both of its choices, in the same order)."""
    topics_h = open(os.path.join(ROOT, "libs/platform/kafka/topics.h")).read()
    topic_names = dict(re.findall(r"inline constexpr std::string_view (k\w+) = \"([^\"]+)\"", topics_h))
    pairs = set()
    for main in ("services/screening/main.cpp", "services/routing/main.cpp", "services/notification/main.cpp",
                 "tools/diagnostics/main.cpp"):
        source = open(os.path.join(ROOT, main)).read()
        for group_expression, topic_expression in re.findall(r"\.group = ([^,]+),\s*\.topics = \{([^}]+)\}", source):
            groups = re.findall(r'"([^"]+)"', group_expression)
            topics = [topic_names[name] for name in re.findall(r"topic::(k\w+)", topic_expression)]
            if len(groups) != len(topics):
                sys.exit(f"{main}: cannot pair consumer groups {groups} with topics {topics}")
            pairs.update(zip(groups, topics))
    return pairs


def check_scaled_objects(helm, chart):
    """The consumer groups and topics KEDA watches are the ones the services consume."""
    rendered = subprocess.run([helm, "template", "check", chart, "--kube-version", "1.30.0",
                               "--set", "hub.prefix=hub"], capture_output=True, text=True, check=True)
    watched = set()
    for document in yaml.safe_load_all(rendered.stdout):
        if document and document["kind"] == "ScaledObject":
            for trigger in document["spec"]["triggers"]:
                metadata = trigger["metadata"]
                watched.add((metadata["consumerGroup"].removeprefix("hub."), metadata["topic"].removeprefix("hub.")))
    declared = declared_consumers()
    unknown = watched - declared
    if unknown or not watched:
        print(f"FAIL KEDA watches consumer groups no service runs: {sorted(unknown)} (declared: {sorted(declared)})")
        return 1
    print(f"ok   KEDA watches {sorted(watched)}, all run by the services")
    return 0


def check_partitions(build, chart):
    """The chart caps replicas by the main topics' partitions; the binaries declare them."""
    helpers = open(os.path.join(chart, "templates", "_helpers.tpl")).read()
    chart_partitions = int(re.search(r'define "pact.mainTopicPartitions" -}}(\d+)', helpers).group(1))
    listed = subprocess.run([os.path.join(build, "tools/pactctl/pactctl"), "topics", "list", "--hub", "hub"],
                            capture_output=True, text=True, check=True).stdout
    declared = {line.split()[0]: int(line.split()[1]) for line in listed.splitlines()[1:] if line.strip()}
    main_topics = ["hub.pact.case.v1", "hub.pact.screening.v1", "hub.pact.referral.v1", "hub.pact.notification.v1"]
    wrong = {topic: declared.get(topic) for topic in main_topics if declared.get(topic) != chart_partitions}
    if wrong:
        print(f"FAIL the chart assumes {chart_partitions} partitions; the binaries declare {wrong}")
        return 1
    print(f"ok   the chart's {chart_partitions} partitions are the binaries' for the four main topics")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", required=True)
    parser.add_argument("--helm", required=True)
    parser.add_argument("--chart", required=True)
    parser.add_argument("--values", action="append", default=[])
    parser.add_argument("--compose")
    parser.add_argument("--docker-compose", default="docker-compose")
    args = parser.parse_args()

    failures = 0
    checked = 0
    scratch = tempfile.mkdtemp(prefix="pact-config-check-")
    try:
        cases = []
        for values_file in [None] + args.values:
            sandbox = Sandbox(os.path.join(scratch, f"chart{len(cases)}"))
            cases += [(c, sandbox) for c in chart_cases(args.helm, args.chart, values_file, sandbox)]
        sandbox = Sandbox(os.path.join(scratch, "data"))
        cases += [(c, sandbox) for c in chart_cases(args.helm, args.chart, None, sandbox, reference_data_arguments(),
                                                    "data-from-values")]
        if args.compose:
            sandbox = Sandbox(os.path.join(scratch, "compose"))
            cases += [(c, sandbox) for c in compose_cases(args.docker_compose, args.compose)]
        for (binary, config_text, environment, what), sandbox in cases:
            status, output = check(args.build, binary, config_text, environment, what, sandbox)
            checked += 1
            if status != 0:
                failures += 1
                print(f"FAIL {what}: {binary} --check-config exited {status}\n  {output}")
            else:
                print(f"ok   {what}: {binary} accepts it")

        # The check must be able to fail: the same file with one key renamed is refused.
        (binary, config_text, environment, what), sandbox = next(
            case for case in cases if case[0][0] == "pact-routing")
        renamed = config_text.replace("deadline_profile:", "deadline_profiles:", 1)
        status, output = check(args.build, binary, renamed, environment, what + "-renamed", sandbox)
        if status == 0 or "deadline_profiles: unknown key" not in output:
            failures += 1
            print(f"FAIL a renamed key (routing.deadline_profiles) was not refused: {output}")
        else:
            print("ok   a renamed key is refused: " + output.splitlines()[-1].strip())
        failures += check_scaled_objects(args.helm, args.chart)
        failures += check_partitions(args.build, args.chart)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"{checked} service configurations checked, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
