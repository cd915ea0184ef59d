"""Drives the emulator with Alibaba's legacy Python SDK (aliyun-python-sdk-core) the way a new
user would: a CommonRequest POST with RegionId in the form body. That SDK also puts RegionId in
the query itself, so the parameter is on the wire twice; its signer merges query and body into
one map (the body winning) and signs RegionId once. The emulator must verify the same way.

Usage: legacy_sdk.py http://127.0.0.1:PORT   (run by run.sh)
"""

import json
import sys
import urllib.request

from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkcore.client import AcsClient
from aliyunsdkcore.request import CommonRequest

REGION = "cn-hangzhou"


def request(host, action, body, method="POST"):
    req = CommonRequest()
    req.set_accept_format("json")
    req.set_domain(host)
    req.set_protocol_type("http")
    req.set_method(method)
    req.set_version("2016-04-28")
    req.set_action_name(action)
    for k, v in body.items():
        req.add_body_params(k, v)
    return req


def main():
    url = sys.argv[1].rstrip("/")
    host = url.removeprefix("http://")
    reset = urllib.request.Request(url + "/_emulator/reset", method="POST", data=b"")
    urllib.request.urlopen(reset).read()
    client = AcsClient("emulator-access-key", "emulator-secret-key", REGION)
    # RegionId in the body (and, by the SDK itself, in the query).
    got = json.loads(client.do_action_with_exception(request(
        host, "GetPublicIpAddressPoolServiceStatus", {"RegionId": REGION})))
    assert got["Enabled"] is False, got
    opened = json.loads(client.do_action_with_exception(request(
        host, "OpenPublicIpAddressPoolService", {"RegionId": REGION, "ClientToken": "legacy-1"})))
    assert str(opened["Code"]) == "200", opened
    # A body RegionId other than the client's: the body wins, for the signature and the call.
    got = json.loads(client.do_action_with_exception(request(
        host, "GetPublicIpAddressPoolServiceStatus", {"RegionId": "cn-beijing"})))
    assert got["Enabled"] is False, got
    # A pool operation through the same path, with a list parameter in the body.
    created = json.loads(client.do_action_with_exception(request(
        host, "CreatePublicIpAddressPool",
        {"RegionId": REGION, "Name": "legacy", "Tag.1.Key": "k", "Tag.1.Value": "v"})))
    assert created["PublicIpAddressPoolId"].startswith("pippool-"), created
    # A wrong secret still fails, with the documented gateway code.
    bad = AcsClient("emulator-access-key", "wrong", REGION)
    try:
        bad.do_action_with_exception(request(
            host, "GetPublicIpAddressPoolServiceStatus", {"RegionId": REGION}))
        raise AssertionError("a wrong secret must be refused")
    except ServerException as e:
        assert e.get_error_code() == "SignatureDoesNotMatch", e
        assert e.get_error_msg().count("RegionId") == 1, e.get_error_msg()
    print("ok: legacy aliyun-python-sdk-core CommonRequest POST with RegionId in query and body")


if __name__ == "__main__":
    main()
