# The EIPs allocated from one pool, e.g. to allow their addresses in a firewall elsewhere.
data "alicloudvpc_eip_addresses" "web" {
  region_id                 = "cn-hangzhou"
  public_ip_address_pool_id = "pippool-6wetvn6fumkgycssx"
  status                    = "Available"

  tags = {
    env = "prod"
  }
}

output "web_addresses" {
  value = [for e in data.alicloudvpc_eip_addresses.web.addresses : e.ip_address]
}
