"""Runs the EIP workflow against the emulator with Alibaba's official Python SDK
(alibabacloud-vpc20160428), in both signing modes (V3, the default, and V1): EIPs allocated from
an IP address pool, described, modified, tagged, moved, protected and released, and the
refusals. Every successful answer must parse into the SDK's response model with nothing lost:
the model's to_map() equals the JSON the emulator sent (no field missing, none unknown, same
types).

The emulator must run with --operation-delay 300 (run.sh does), so that a release shows as
Releasing before the EIP is gone.

Usage: eips.py http://127.0.0.1:PORT   (run by run.sh)
"""

import sys

from alibabacloud_vpc20160428 import models as m

from pools import ACCOUNT, REGION, Api, control

EIP = "EIP"


def pool_with_block(api, name, cidr):
    pid = api.create(name)
    api("add_public_ip_address_pool_cidr_block", m.AddPublicIpAddressPoolCidrBlockRequest(
        region_id=REGION, public_ip_address_pool_id=pid, cidr_block=cidr))
    api.wait(lambda: api.pool(pid).status == "Created", "the block to be Created")
    return pid


def eip(api, allocation_id):
    body = api("describe_eip_addresses", m.DescribeEipAddressesRequest(
        region_id=REGION, allocation_id=allocation_id))
    items = body.eip_addresses.eip_address
    return items[0] if items else None


def workflow(api):
    pid = pool_with_block(api, "eips", "47.0.0.0/28")
    allocated = api("allocate_eip_address", m.AllocateEipAddressRequest(
        region_id=REGION, public_ip_address_pool_id=pid, name="web", description="front",
        bandwidth="10", isp="BGP", client_token="eip-1",
        tag=[m.AllocateEipAddressRequestTag(key="env", value="prod")]))
    eid = allocated.allocation_id
    assert eid.startswith("eip-") and allocated.eip_address == "47.0.0.0", allocated.to_map()
    again = api("allocate_eip_address", m.AllocateEipAddressRequest(
        region_id=REGION, public_ip_address_pool_id=pid, name="web", description="front",
        bandwidth="10", isp="BGP", client_token="eip-1",
        tag=[m.AllocateEipAddressRequestTag(key="env", value="prod")]))
    assert again.to_map() == allocated.to_map(), "a repeated ClientToken replays the answer"
    picked = api("allocate_eip_address", m.AllocateEipAddressRequest(
        region_id=REGION, public_ip_address_pool_id=pid, ip_address="47.0.0.9"))
    assert picked.eip_address == "47.0.0.9", picked.to_map()

    e = eip(api, eid)
    assert (e.name, e.description, e.bandwidth, e.isp, e.status) == ("web", "front", "10", "BGP", "Available"), e.to_map()
    assert (e.public_ip_address_pool_id, e.region_id, e.charge_type) == (pid, REGION, "PostPaid"), e.to_map()
    assert e.deletion_protection is False and isinstance(e.service_managed, int), e.to_map()
    assert [(t.key, t.value) for t in e.tags.tag] == [("env", "prod")], e.to_map()
    by_pool = api("describe_eip_addresses", m.DescribeEipAddressesRequest(
        region_id=REGION, public_ip_address_pool_id=pid, page_size=1, page_number=2))
    assert (by_pool.total_count, by_pool.page_number, by_pool.page_size) == (2, 2, 1), by_pool.to_map()
    assert [x.allocation_id for x in by_pool.eip_addresses.eip_address] == [picked.allocation_id]
    both = api("describe_eip_addresses", m.DescribeEipAddressesRequest(
        region_id=REGION, allocation_id=f"{eid},{picked.allocation_id}"))
    assert both.total_count == 2, both.to_map()
    by_tag = api("describe_eip_addresses", m.DescribeEipAddressesRequest(
        region_id=REGION, tag=[m.DescribeEipAddressesRequestTag(key="env", value="prod")]))
    assert [x.allocation_id for x in by_tag.eip_addresses.eip_address] == [eid]
    pool = api.pool(pid)
    assert (pool.used_ip_num, api.blocks(pid)[0].used_ip_num) == (2, 2), pool.to_map()

    api("modify_eip_address_attribute", m.ModifyEipAddressAttributeRequest(
        region_id=REGION, allocation_id=eid, name="api", bandwidth="20"))
    e = eip(api, eid)
    assert (e.name, e.description, e.bandwidth) == ("api", "front", "20"), e.to_map()

    api("tag_resources", m.TagResourcesRequest(region_id=REGION, resource_type=EIP, resource_id=[eid],
                                               tag=[m.TagResourcesRequestTag(key="team", value="net")]))
    api("un_tag_resources", m.UnTagResourcesRequest(region_id=REGION, resource_type=EIP, resource_id=[eid],
                                                    tag_key=["env"]))
    tags = api("list_tag_resources", m.ListTagResourcesRequest(region_id=REGION, resource_type=EIP,
                                                               resource_id=[eid]))
    assert [(t.resource_type, t.tag_key) for t in tags.tag_resources.tag_resource] == [("EIP", "team")], tags.to_map()
    api("move_resource_group", m.MoveResourceGroupRequest(region_id=REGION, resource_id=eid,
                                                          new_resource_group_id="rg-acfmeip", resource_type=EIP))
    assert eip(api, eid).resource_group_id == "rg-acfmeip"

    api("deletion_protection", m.DeletionProtectionRequest(
        region_id=REGION, instance_id=eid, type=EIP, protection_enable=True))
    assert eip(api, eid).deletion_protection is True
    api.refused("InvalidOperation.DeletionProtection", "release_eip_address",
                m.ReleaseEipAddressRequest(region_id=REGION, allocation_id=eid))
    api("deletion_protection", m.DeletionProtectionRequest(
        region_id=REGION, instance_id=eid, type=EIP, protection_enable=False))
    for x in (eid, picked.allocation_id):
        api("release_eip_address", m.ReleaseEipAddressRequest(region_id=REGION, allocation_id=x))
    assert eip(api, eid).status == "Releasing"
    api.refused("IncorrectEipStatus", "modify_eip_address_attribute",
                m.ModifyEipAddressAttributeRequest(region_id=REGION, allocation_id=eid, name="x"))
    api.wait(lambda: eip(api, eid) is None and eip(api, picked.allocation_id) is None, "the EIPs to go")
    assert api.pool(pid).used_ip_num == 0
    return pid


def refusals(api, pid):
    alloc = lambda **kw: m.AllocateEipAddressRequest(region_id=REGION, **kw)
    api.refused("InvalidAllocationId.NotFound", "release_eip_address",
                m.ReleaseEipAddressRequest(region_id=REGION, allocation_id="eip-unknown"))
    api.refused("OperationDenied.PublicIpAddressPoolIspMismatch", "allocate_eip_address",
                alloc(public_ip_address_pool_id=pid, isp="ChinaTelecom"))
    api.refused("Mismatch.IpAndPublicIpAddressPool", "allocate_eip_address",
                alloc(public_ip_address_pool_id=pid, ip_address="47.9.9.9"))
    api.refused("InvalidBandwidth.Malformed", "allocate_eip_address", alloc(bandwidth="0"))
    api.refused("InvalidParameter.PageSize", "describe_eip_addresses",
                m.DescribeEipAddressesRequest(region_id=REGION, page_size=101))
    ids = [api("allocate_eip_address", alloc(public_ip_address_pool_id=pid)).allocation_id for _ in range(16)]
    api.refused("ResourceNotEnough.PublicIpAddressPool", "allocate_eip_address",
                alloc(public_ip_address_pool_id=pid))
    msg = api.refused("OperationDenied.PublicIpAddressPoolInUse", "delete_public_ip_address_pool",
                      m.DeletePublicIpAddressPoolRequest(region_id=REGION, public_ip_address_pool_id=pid))
    assert "16 addresses in use" in msg, msg
    plain = api("allocate_eip_address", alloc())
    assert plain.eip_address == "39.105.0.0", plain.to_map()
    return ids


def check_mode(url, v1):
    control(url, "POST", "/_emulator/reset")
    control(url, "PUT", f"/_emulator/accounts/{ACCOUNT}/regions/{REGION}", {"enabled": True})
    api = Api(url, v1)
    pid = workflow(api)
    refusals(api, pid)
    state = control(url, "GET", "/_emulator/state")
    shown = [a for a in state["accounts"] if a["account_id"] == ACCOUNT][0]
    assert len(shown["eips"]) == 17 and shown["pools"][0]["used_ip_num"] == 16, shown
    print(f"ok: {api.mode}: EIPs from a pool, describe, modify, tags, protection, release, refusals; "
          "every answer fits the SDK model")


def main():
    url = sys.argv[1].rstrip("/")
    check_mode(url, v1=False)
    check_mode(url, v1=True)
    print("python sdk EIP check passed")


if __name__ == "__main__":
    main()
