"""Drives the emulator with Alibaba's official Python SDK (alibabacloud-vpc20160428) in both
signing modes: the default ACS3-HMAC-SHA256 (V3) and the legacy HMAC-SHA1 (V1), which
alibabacloud_tea_openapi selects with Config(signature_algorithm='v2').

Usage: check.py http://127.0.0.1:PORT   (run by run.sh)
"""

import json
import sys
import urllib.request

from alibabacloud_tea_openapi.models import Config
from alibabacloud_tea_util.models import RuntimeOptions
from alibabacloud_vpc20160428.client import Client
from alibabacloud_vpc20160428 import models

try:  # the exception class moved between tea versions
    from Tea.exceptions import TeaException
except ImportError:  # pragma: no cover
    from alibabacloud_tea_openapi.exceptions import TeaException  # type: ignore

REGION = "cn-hangzhou"


def control(url, method, path):
    req = urllib.request.Request(url + path, method=method, data=b"" if method != "GET" else None)
    with urllib.request.urlopen(req) as resp:
        return json.loads(resp.read())


def client(host_port, v1):
    cfg = Config(
        access_key_id="emulator-access-key",
        access_key_secret="emulator-secret-key",
        endpoint=host_port,
        protocol="http",
        region_id=REGION,
    )
    if v1:
        cfg.signature_algorithm = "v2"
    return Client(cfg)


def check_mode(url, v1):
    mode = "V1 HMAC-SHA1" if v1 else "V3 ACS3-HMAC-SHA256"
    control(url, "POST", "/_emulator/reset")
    c = client(url.removeprefix("http://"), v1)
    runtime = RuntimeOptions(autoretry=False)

    status = c.get_public_ip_address_pool_service_status_with_options(
        models.GetPublicIpAddressPoolServiceStatusRequest(region_id=REGION), runtime)
    assert status.body.enabled is False, (mode, status.body.to_map())

    opened = c.open_public_ip_address_pool_service_with_options(
        models.OpenPublicIpAddressPoolServiceRequest(region_id=REGION, client_token="py-sdk-token"),
        runtime)
    assert str(opened.body.code) == "200", (mode, opened.body.to_map())
    assert opened.body.message == "successful", (mode, opened.body.to_map())

    status = c.get_public_ip_address_pool_service_status_with_options(
        models.GetPublicIpAddressPoolServiceStatusRequest(region_id=REGION), runtime)
    assert status.body.enabled is True, (mode, status.body.to_map())

    # Same ClientToken: the first answer again, RequestId included.
    replay = c.open_public_ip_address_pool_service_with_options(
        models.OpenPublicIpAddressPoolServiceRequest(region_id=REGION, client_token="py-sdk-token"),
        runtime)
    assert replay.body.request_id == opened.body.request_id, (mode, replay.body.to_map())

    # A new Open once enabled: the documented error code reaches the SDK's exception.
    try:
        c.open_public_ip_address_pool_service_with_options(
            models.OpenPublicIpAddressPoolServiceRequest(region_id=REGION), runtime)
        raise AssertionError(f"{mode}: second Open should fail")
    except TeaException as e:
        assert e.code == "OperationFailed.ExceedPurchaseLimit", (mode, e.code, e.message)

    vpc_actions = {"OpenPublicIpAddressPoolService", "GetPublicIpAddressPoolServiceStatus"}
    methods = {r["signature_method"] for r in control(url, "GET", "/_emulator/requests")
               if r["action"] in vpc_actions}
    want = "HMAC-SHA1" if v1 else "ACS3-HMAC-SHA256"
    assert methods == {want}, (mode, methods)
    control(url, "DELETE", "/_emulator/requests")
    print(f"ok: {mode}: status false -> open 200 -> status true -> replay -> ExceedPurchaseLimit")


def main():
    url = sys.argv[1].rstrip("/")
    check_mode(url, v1=False)
    check_mode(url, v1=True)
    print("python sdk check passed")


if __name__ == "__main__":
    main()
