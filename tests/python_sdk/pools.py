"""Runs the IP address pool workflow against the emulator with Alibaba's official Python SDK
(alibabacloud-vpc20160428), in both signing modes (V3, the default, and V1), and the refusals.
Every successful answer must parse into the SDK's response model with nothing lost: the
model's to_map() equals the JSON the emulator sent (no field missing, none unknown, same types).

The emulator must run with --operation-delay 300 (run.sh does), so that the asynchronous
states (Modifying, Deleting) can be seen and waited out.

Usage: pools.py http://127.0.0.1:PORT   (run by run.sh)
"""

import json
import sys
import time
import urllib.request

from alibabacloud_tea_openapi.models import Config
from alibabacloud_tea_util.models import RuntimeOptions
from alibabacloud_vpc20160428.client import Client
from alibabacloud_vpc20160428 import models as m

try:  # the exception class moved between tea versions
    from Tea.exceptions import TeaException
except ImportError:  # pragma: no cover
    from alibabacloud_tea_openapi.exceptions import TeaException  # type: ignore

REGION = "cn-hangzhou"
ACCOUNT = "1234567890123456"
POOL = "PUBLICIPADDRESSPOOL"
DELAY = 0.3  # --operation-delay, seconds

# The JSON body of the last call, captured under the SDK's own parsing.
LAST = {}
_call_api = Client.call_api


def _spy(self, params, request, runtime):
    result = _call_api(self, params, request, runtime)
    LAST["body"] = result.get("body")
    return result


Client.call_api = _spy


def control(url, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else (b"" if method != "GET" else None)
    req = urllib.request.Request(url + path, method=method, data=data,
                                 headers={"content-type": "application/json"})
    with urllib.request.urlopen(req) as resp:
        return json.loads(resp.read())


class Api:
    def __init__(self, url, v1):
        self.mode = "V1 HMAC-SHA1" if v1 else "V3 ACS3-HMAC-SHA256"
        cfg = Config(access_key_id="emulator-access-key", access_key_secret="emulator-secret-key",
                     endpoint=url.removeprefix("http://"), protocol="http", region_id=REGION)
        if v1:
            cfg.signature_algorithm = "v2"
        self.client = Client(cfg)
        self.runtime = RuntimeOptions(autoretry=False)

    def __call__(self, method, request):
        """Calls `<method>_with_options`; checks that the model holds the whole answer."""
        resp = getattr(self.client, method + "_with_options")(request, self.runtime)
        assert resp.body.to_map() == LAST["body"], (self.mode, method, resp.body.to_map(), LAST["body"])
        assert resp.body.request_id, (self.mode, method)
        return resp.body

    def refused(self, code, method, request):
        try:
            getattr(self.client, method + "_with_options")(request, self.runtime)
        except TeaException as e:
            assert e.code == code, (self.mode, method, code, e.code, e.message)
            return e.message
        raise AssertionError(f"{self.mode}: {method} should be refused with {code}")

    def pool(self, pool_id):
        body = self("list_public_ip_address_pools", m.ListPublicIpAddressPoolsRequest(
            region_id=REGION, public_ip_address_pool_ids=[pool_id]))
        return body.public_ip_address_pool_list[0] if body.public_ip_address_pool_list else None

    def blocks(self, pool_id):
        return self("list_public_ip_address_pool_cidr_blocks", m.ListPublicIpAddressPoolCidrBlocksRequest(
            region_id=REGION, public_ip_address_pool_id=pool_id)).public_ip_pool_cidr_block_list

    def create(self, name, **kw):
        return self("create_public_ip_address_pool", m.CreatePublicIpAddressPoolRequest(
            region_id=REGION, name=name, **kw)).public_ip_address_pool_id

    def wait(self, check, what):
        deadline = time.time() + 10 * DELAY + 2
        while time.time() < deadline:
            if check():
                return
            time.sleep(DELAY / 3)
        raise AssertionError(f"{self.mode}: timed out waiting for {what}")


def workflow(api):
    created = api("create_public_ip_address_pool", m.CreatePublicIpAddressPoolRequest(
        region_id=REGION, name="web", description="web tier", isp="BGP", client_token="wf-1",
        tag=[m.CreatePublicIpAddressPoolRequestTag(key="env", value="prod"),
             m.CreatePublicIpAddressPoolRequestTag(key="team", value="net")]))
    pid = created.public_ip_address_pool_id
    assert pid.startswith("pippool-") and created.pulbic_ip_address_pool_id == pid, created.to_map()
    pool = api.pool(pid)
    assert (pool.name, pool.status, pool.isp, pool.region_id) == ("web", "Created", "BGP", REGION), pool.to_map()
    assert {(t.key, t.value) for t in pool.tags} == {("env", "prod"), ("team", "net")}
    assert isinstance(pool.owner_id, int) and isinstance(pool.ip_address_remaining, bool)
    by_name = api("list_public_ip_address_pools", m.ListPublicIpAddressPoolsRequest(region_id=REGION, name="web"))
    assert [p.public_ip_address_pool_id for p in by_name.public_ip_address_pool_list] == [pid]
    assert by_name.total_count == 1 and by_name.next_token == ""
    by_tag = api("list_public_ip_address_pools", m.ListPublicIpAddressPoolsRequest(
        region_id=REGION, tags=[m.ListPublicIpAddressPoolsRequestTags(key="env", value="prod")]))
    assert by_tag.total_count == 1

    api("update_public_ip_address_pool_attribute", m.UpdatePublicIpAddressPoolAttributeRequest(
        region_id=REGION, public_ip_address_pool_id=pid, name="web2", description="renamed"))
    assert api.pool(pid).name == "web2"

    by_mask = api("add_public_ip_address_pool_cidr_block", m.AddPublicIpAddressPoolCidrBlockRequest(
        region_id=REGION, public_ip_address_pool_id=pid, cidr_mask=24))
    assert by_mask.cidr_block == "47.105.0.0/24", by_mask.to_map()
    assert api.blocks(pid)[0].status == "Modifying" and api.pool(pid).status == "Modifying"
    api.refused("IncorrectStatus.PublicIpAddressPool", "add_public_ip_address_pool_cidr_block",
                m.AddPublicIpAddressPoolCidrBlockRequest(region_id=REGION, public_ip_address_pool_id=pid,
                                                         cidr_block="47.0.0.0/28"))
    api.wait(lambda: api.pool(pid).status == "Created", "the block to be Created")
    by_block = api("add_public_ip_address_pool_cidr_block", m.AddPublicIpAddressPoolCidrBlockRequest(
        region_id=REGION, public_ip_address_pool_id=pid, cidr_block="47.0.0.0/28"))
    assert by_block.cidr_block == "47.0.0.0/28"
    api.wait(lambda: all(b.status == "Created" for b in api.blocks(pid)), "both blocks Created")
    pool = api.pool(pid)
    assert (pool.total_ip_num, pool.used_ip_num) == (256 + 16, 0), pool.to_map()

    api("tag_resources", m.TagResourcesRequest(region_id=REGION, resource_type=POOL, resource_id=[pid],
                                               tag=[m.TagResourcesRequestTag(key="owner", value="me")]))
    api("un_tag_resources", m.UnTagResourcesRequest(region_id=REGION, resource_type=POOL, resource_id=[pid],
                                                    tag_key=["team"]))
    tags = api("list_tag_resources", m.ListTagResourcesRequest(region_id=REGION, resource_type=POOL,
                                                               resource_id=[pid]))
    assert sorted(t.tag_key for t in tags.tag_resources.tag_resource) == ["env", "owner"], tags.to_map()
    api("move_resource_group", m.MoveResourceGroupRequest(region_id=REGION, resource_id=pid,
                                                          new_resource_group_id="rg-acfmnew", resource_type=POOL))
    assert api.pool(pid).resource_group_id == "rg-acfmnew"

    api("delete_public_ip_address_pool_cidr_block", m.DeletePublicIpAddressPoolCidrBlockRequest(
        region_id=REGION, public_ip_address_pool_id=pid, cidr_block="47.0.0.0/28"))
    assert [b.status for b in api.blocks(pid) if b.cidr_block == "47.0.0.0/28"] == ["Deleting"]
    api.wait(lambda: len(api.blocks(pid)) == 1, "the block to go")
    api("delete_public_ip_address_pool", m.DeletePublicIpAddressPoolRequest(
        region_id=REGION, public_ip_address_pool_id=pid))
    assert api.pool(pid).status == "Deleting"
    api.wait(lambda: api.pool(pid) is None, "the pool to go")


def paging(api):
    ids = [api.create(f"page-{i}") for i in range(12)]
    first = api("list_public_ip_address_pools", m.ListPublicIpAddressPoolsRequest(region_id=REGION, max_results=10))
    assert (first.total_count, len(first.public_ip_address_pool_list)) == (12, 10) and first.next_token
    second = api("list_public_ip_address_pools", m.ListPublicIpAddressPoolsRequest(
        region_id=REGION, max_results=10, next_token=first.next_token))
    assert [p.public_ip_address_pool_id for p in second.public_ip_address_pool_list] == ids[10:]
    assert second.next_token == ""
    api.refused("InvalidParameter.NextToken", "list_public_ip_address_pools",
                m.ListPublicIpAddressPoolsRequest(region_id=REGION, next_token="forged"))
    api.refused("InvalidParameter.MaxResults", "list_public_ip_address_pools",
                m.ListPublicIpAddressPoolsRequest(region_id=REGION, max_results=101))
    return ids


def refusals(api, url, ids):
    for i in range(16 - len(ids)):
        api.create(f"fill-{i}")
    api.refused("QuotaExceeded.PublicIpAddressPool", "create_public_ip_address_pool",
                m.CreatePublicIpAddressPoolRequest(region_id=REGION, name="17th"))
    msg = api.refused("OperationDenied.PublicIpAddressPoolServiceNotOpened", "create_public_ip_address_pool",
                      m.CreatePublicIpAddressPoolRequest(region_id="cn-beijing"))
    assert "OpenPublicIpAddressPoolService" in msg, msg
    api.refused("DryRunOperation", "delete_public_ip_address_pool",
                m.DeletePublicIpAddressPoolRequest(region_id=REGION, public_ip_address_pool_id=ids[0], dry_run=True))

    pid = ids[0]
    api("add_public_ip_address_pool_cidr_block", m.AddPublicIpAddressPoolCidrBlockRequest(
        region_id=REGION, public_ip_address_pool_id=pid, cidr_block="47.1.0.0/24"))
    api.wait(lambda: api.pool(pid).status == "Created", "the block")
    add = lambda **kw: m.AddPublicIpAddressPoolCidrBlockRequest(region_id=REGION, public_ip_address_pool_id=ids[1], **kw)
    api.refused("InvalidCidrBlock.Overlapped", "add_public_ip_address_pool_cidr_block", add(cidr_block="47.1.0.64/28"))
    api.refused("InvalidParameter.CidrMask", "add_public_ip_address_pool_cidr_block", add(cidr_mask=23))
    api.refused("InvalidParameter.CidrMask", "add_public_ip_address_pool_cidr_block", add(cidr_mask=29))
    api.refused("InvalidParameter.CidrBlock", "add_public_ip_address_pool_cidr_block", add(cidr_block="47.2.0.0/22"))
    api.refused("InvalidParameter.CidrBlockAndCidrMask", "add_public_ip_address_pool_cidr_block",
                add(cidr_block="47.2.0.0/24", cidr_mask=24))
    api.refused("MissingParameter", "add_public_ip_address_pool_cidr_block", add())

    eips = [api("allocate_eip_address", m.AllocateEipAddressRequest(
        region_id=REGION, public_ip_address_pool_id=pid)).allocation_id for _ in range(3)]
    pool = api.pool(pid)
    assert pool.used_ip_num == 3 and api.blocks(pid)[0].used_ip_num == 3, pool.to_map()
    msg = api.refused("OperationDenied.CidrBlockInUse", "delete_public_ip_address_pool_cidr_block",
                      m.DeletePublicIpAddressPoolCidrBlockRequest(region_id=REGION, public_ip_address_pool_id=pid,
                                                                  cidr_block="47.1.0.0/24"))
    assert "3 addresses in use" in msg, msg
    msg = api.refused("OperationDenied.PublicIpAddressPoolInUse", "delete_public_ip_address_pool",
                      m.DeletePublicIpAddressPoolRequest(region_id=REGION, public_ip_address_pool_id=pid))
    assert "3 addresses in use" in msg, msg
    for eip in eips:
        api("release_eip_address", m.ReleaseEipAddressRequest(region_id=REGION, allocation_id=eip))
    api.wait(lambda: api.pool(pid).used_ip_num == 0, "the EIPs to be released")

    api("delete_public_ip_address_pool_cidr_block", m.DeletePublicIpAddressPoolCidrBlockRequest(
        region_id=REGION, public_ip_address_pool_id=pid, cidr_block="47.1.0.0/24"))
    api.refused("IncorrectStatus.PublicIpAddressPool", "update_public_ip_address_pool_attribute",
                m.UpdatePublicIpAddressPoolAttributeRequest(region_id=REGION, public_ip_address_pool_id=pid, name="x"))
    api.refused("IncorrectStatus.PublicIpAddressPool", "delete_public_ip_address_pool",
                m.DeletePublicIpAddressPoolRequest(region_id=REGION, public_ip_address_pool_id=pid))


def check_mode(url, v1):
    control(url, "POST", "/_emulator/reset")
    control(url, "PUT", f"/_emulator/accounts/{ACCOUNT}/regions/{REGION}", {"enabled": True})
    api = Api(url, v1)
    workflow(api)
    ids = paging(api)
    refusals(api, url, ids)
    print(f"ok: {api.mode}: pool workflow, paging 12 by 10, refusals; every answer fits the SDK model")


def main():
    url = sys.argv[1].rstrip("/")
    check_mode(url, v1=False)
    check_mode(url, v1=True)
    print("python sdk pool check passed")


if __name__ == "__main__":
    main()
