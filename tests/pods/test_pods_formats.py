"""The kubectl fixture, NodeList/PodList directories, the project JSON, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import schedkit
from schedkit.errors import InvalidInstance, ParseError
from schedkit.loading import write
from schedkit.pods.model import PodsInstance

DATA = Path(__file__).resolve().parent.parent / "data" / "pods"
CLUSTER = DATA / "cluster.json"
MI, GI = 2**20, 2**30


@pytest.fixture(scope="module")
def cluster() -> PodsInstance:
    """The realistic kubectl fixture (tests/data/pods/cluster.json)."""
    return schedkit.load(CLUSTER)


def _pod(instance: PodsInstance, key: str):
    return instance.pods[instance.pod_index()[key]]


def test_fixture_nodes(cluster):
    """Allocatable (not capacity) in every notation; cordon and taints read."""
    nodes = {n.name: n for n in cluster.nodes}
    assert set(nodes) == {"worker-a", "worker-b", "gpu-1", "worker-old"}
    assert (nodes["worker-a"].cpu, nodes["worker-a"].memory, nodes["worker-a"].max_pods) == (
        3800,
        15 * GI,
        110,
    )
    assert (nodes["worker-b"].cpu, nodes["worker-b"].memory, nodes["worker-b"].max_pods) == (
        2000,
        4 * 10**9,
        16,
    )
    assert nodes["worker-old"].unschedulable and nodes["worker-old"].cpu == 1_000_000
    assert {t.effect for t in nodes["gpu-1"].taints} == {"NoSchedule", "PreferNoSchedule"}


def test_fixture_pods_and_requests(cluster):
    """Finished pods are dropped; requests = max(containers, init) + overhead; sidecars add."""
    keys = {p.key for p in cluster.pods}
    assert "batch/report-28391-x7k" not in keys and "default/debug-shell" not in keys
    assert len(cluster.pods) == 9
    web = _pod(cluster, "shop/web-5d8f7-abcde")
    # containers 250m + 0.25 = 500m < init 1 -> 1000m; + overhead 100m. Memory 256+128 Mi > 64 Mi; + 20 Mi.
    assert (web.cpu, web.memory) == (1100, 404 * MI)
    cache = _pod(cluster, "shop/cache-0")
    # sidecar 100m runs beside: max(500m + 100m, 100m + init 1500m) = 1600m; memory 1 Gi + 100 Ki.
    assert (cache.cpu, cache.memory) == (1600, GI + 100 * 1024)
    api_a, api_b = _pod(cluster, "shop/api-7c9-aaaaa"), _pod(cluster, "shop/api-7c9-bbbbb")
    assert (api_a.cpu, api_a.memory) == (api_b.cpu, api_b.memory) == (1500, 2 * 10**9)
    assert _pod(cluster, "ops/nightly-backup").memory == GI // 2


def test_fixture_priorities_nodes_and_movability(cluster):
    """Priority from spec.priority (0 when absent), running by nodeName, DaemonSet / mirror /
    safe-to-evict=false pods immovable, queue order by creation time."""
    assert _pod(cluster, "shop/cache-0").priority == 0
    assert _pod(cluster, "shop/web-5d8f7-abcde").priority == 1000
    assert _pod(cluster, "shop/web-5d8f7-abcde").node == "worker-a"
    assert _pod(cluster, "ml/train-llm-0").node is None
    immovable = {p.key for p in cluster.pods if not p.movable}
    assert immovable == {
        "kube-system/kube-proxy-7xk2p",
        "kube-system/kube-proxy-q9d4z",
        "kube-system/etcd-worker-a",
        "shop/api-7c9-aaaaa",
    }
    orders = sorted(cluster.pods, key=lambda p: p.order)
    assert orders[0].key == "kube-system/etcd-worker-a"
    assert orders[-1].key == "shop/api-7c9-bbbbb"  # same timestamp as aaaaa: file order decides


def test_fixture_eligibility(cluster):
    """Taints keep pods off gpu-1 unless tolerated and selected; the cordoned node takes none;
    the DaemonSet pod is pinned by matchFields to its node."""
    index = cluster.node_index()
    train = cluster.pod_index()["ml/train-llm-0"]
    assert cluster.eligible[train].tolist() == [n == "gpu-1" for n in (x.name for x in cluster.nodes)]
    assert not cluster.eligible[:, index["worker-old"]].any()
    web = cluster.pod_index()["shop/web-5d8f7-abcde"]
    assert not cluster.eligible[web, index["gpu-1"]]  # NoSchedule taint not tolerated
    proxy = cluster.pod_index()["kube-system/kube-proxy-q9d4z"]
    assert cluster.eligible[proxy].tolist() == [n == "worker-b" for n in (x.name for x in cluster.nodes)]


def test_fixture_solutions(cluster):
    """Both methods bind the pending DaemonSet pod and the GPU job, and the checker agrees."""
    for method in ("kube-default", "cpsat"):
        result = schedkit.solve(cluster, method, time_limit=10, workers=1)
        assert schedkit.check(cluster, result).feasible
        assignment = result.solution.assignment
        assert assignment["kube-system/kube-proxy-q9d4z"] == "worker-b"
        assert assignment["ml/train-llm-0"] == "gpu-1"
        assert assignment["kube-system/etcd-worker-a"] == "worker-a"


def test_directory_of_node_and_pod_lists(tmp_path, cluster):
    """A directory with a NodeList and a PodList (items without kind) reads as the same cluster."""
    record = json.loads(CLUSTER.read_text())
    nodes = [
        {k: v for k, v in item.items() if k != "kind"} for item in record["items"] if item["kind"] == "Node"
    ]
    pods = [
        {k: v for k, v in item.items() if k != "kind"} for item in record["items"] if item["kind"] == "Pod"
    ]
    (tmp_path / "nodes.json").write_text(json.dumps({"kind": "NodeList", "apiVersion": "v1", "items": nodes}))
    (tmp_path / "pods.json").write_text(json.dumps({"kind": "PodList", "apiVersion": "v1", "items": pods}))
    (tmp_path / "README.txt").write_text("not read")
    loaded = schedkit.load(tmp_path)
    assert loaded.to_dict()["nodes"] == cluster.to_dict()["nodes"]
    assert {p.key: (p.cpu, p.memory, p.node) for p in loaded.pods} == {
        p.key: (p.cpu, p.memory, p.node) for p in cluster.pods
    }


def test_directory_without_kubectl_lists_is_not_claimed(tmp_path):
    """A directory without kubectl lists is not an instance (a ParseError, not a wrong cluster)."""
    (tmp_path / "other.json").write_text('{"p": [1], "d": [1]}')
    with pytest.raises(ParseError):
        schedkit.load(tmp_path)


def test_project_json_round_trip(tmp_path, cluster):
    """dump then load gives the same cluster (records, derived arrays, meta)."""
    path = schedkit.dump(cluster, tmp_path / "copy.json")
    again = schedkit.load(path)
    assert again == cluster
    assert (again.eligible == cluster.eligible).all()


def test_kubectl_writer_round_trip(tmp_path, cluster):
    """--to kubectl writes a List that reads back to the same nodes, requests and placement."""
    path = write([cluster], tmp_path / "out.json", "kubectl")
    again = schedkit.load(path)
    assert again.to_dict()["nodes"] == cluster.to_dict()["nodes"]
    assert [(p.key, p.cpu, p.memory, p.priority, p.node, p.movable) for p in again.pods] == [
        (p.key, p.cpu, p.memory, p.priority, p.node, p.movable)
        for p in sorted(cluster.pods, key=lambda p: p.order)
    ]


def _broken(tmp_path: Path, edit) -> Path:
    record = json.loads(CLUSTER.read_text())
    edit(record["items"])
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(record))
    return path


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda items: items[0]["status"]["allocatable"].update(cpu="4 cores"),
            r"worker-a.*allocatable.cpu.*'4 cores'",
        ),
        (
            lambda items: items[8]["spec"]["containers"][0]["resources"]["requests"].update(memory="-1Gi"),
            r"cache-0.*requests.memory.*negative",
        ),
        (lambda items: items[4]["spec"].update(nodeName="ghost"), r"node 'ghost'.*does not exist"),
        (lambda items: items[1]["status"].pop("allocatable"), r"worker-b.*allocatable"),
        (lambda items: items[10]["spec"].update(priority="high"), r"train-llm-0.*priority"),
        (lambda items: items.append(dict(items[5])), r"repeats"),
        (
            lambda items: items[1]["status"]["allocatable"].update(cpu="100m"),
            r"worker-b.*running pods request cpu",
        ),
        (
            lambda items: items[10]["spec"]["tolerations"][0].update(operator="Maybe"),
            r"train-llm-0.*operator 'Maybe'",
        ),
        (lambda items: items[2]["spec"]["taints"][0].update(effect="NoWay"), r"gpu-1.*effect 'NoWay'"),
    ],
)
def test_bad_kubectl_input(tmp_path, edit, message):
    """Each broken field raises InvalidInstance naming the file, the object and the rule."""
    with pytest.raises(InvalidInstance, match=message):
        schedkit.load(_broken(tmp_path, edit))


def test_bad_project_json(tmp_path):
    """Unknown fields, missing fields and wrong types in the project JSON are named."""
    good = {
        "family": "pods",
        "nodes": [{"name": "n", "cpu": 1000, "memory": 10}],
        "pods": [{"name": "a", "cpu": 10, "memory": 1}],
    }
    cases = [
        ({"nodes": [{"name": "n", "cpu": 1.5, "memory": 1}]}, r"nodes\[0\].*cpu must be an integer"),
        ({"pods": [{"name": "a", "cpu": 10, "colour": "red"}]}, r"pods\[0\].*unknown field.*colour"),
        ({"pods": [{"cpu": 10}]}, r"pods\[0\].*missing field 'name'"),
        ({"nodes": []}, r"at least one node"),
        ({"pods": [{"name": "a", "node": "m"}]}, r"does not exist"),
    ]
    for change, message in cases:
        path = tmp_path / "bad.json"
        path.write_text(json.dumps({**good, **change}))
        with pytest.raises(InvalidInstance, match=message):
            schedkit.load(path)


def test_format_kubectl_reads_any_name(tmp_path, cluster):
    """`--format kubectl` reads a kubectl List whatever the file is called, and refuses others."""
    path = tmp_path / "cluster.txt"
    path.write_text(CLUSTER.read_text())
    assert schedkit.load(path, format="kubectl").to_dict()["pods"] == cluster.to_dict()["pods"]
    path.write_text('{"family": "pods", "nodes": []}')
    with pytest.raises(ParseError, match="kubectl List"):
        schedkit.load(path, format="kubectl")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"nodes": [{"name": "n", "cpu": 1, "memory": 1, "taints": [{"key": "k", "effect": "Bad"}]}]},
         r"nodes\[0\]\.taints\[0\]: taint 'k': effect 'Bad'"),
        ({"pods": [{"name": "a"}, {"name": "b", "tolerations": [{"key": "k", "operator": "Foo"}]}]},
         r"pods\[1\]\.tolerations\[0\]: toleration 'k': operator 'Foo'"),
        ({"pods": [{"name": "a", "affinity": [[{"key": "k", "operator": "In", "values": ["x"]}],
                                              [{"key": "k", "operator": "Foo"}]]}]},
         r"pods\[0\]\.affinity\[1\]\[0\]: affinity 'k': operator 'Foo'"),
        ({"pods": [{"name": "a", "affinity": [[{"key": "k", "operator": "Gt", "values": ["9_9"]}]]}]},
         r"pods\[0\]\.affinity\[0\]\[0\]: affinity 'k' Gt needs one integer value"),
    ],
)
def test_bad_project_json_names_the_record(tmp_path, change, message):
    """A bad taint, toleration or affinity expression names its node or pod and index, as the
    kubectl reader does, not only the taint key (which can repeat across nodes)."""
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"family": "pods", "nodes": [{"name": "n", "cpu": 1, "memory": 1}], **change}))
    with pytest.raises(InvalidInstance, match=message):
        schedkit.load(path)
