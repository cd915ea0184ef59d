# Production pools of the region whose names start with "web-".
data "alicloudvpc_public_ip_address_pools" "web" {
  region_id  = "cn-hangzhou"
  name_regex = "^web-"
  isp        = "BGP"
  status     = "Created"

  tags = {
    env = "prod"
  }
}

output "web_pool_ids" {
  value = data.alicloudvpc_public_ip_address_pools.web.ids
}

output "web_pool_free" {
  description = "Whether each pool still has unallocated addresses, by pool ID."
  value = {
    for p in data.alicloudvpc_public_ip_address_pools.web.pools :
    p.id => p.ip_address_remaining
  }
}
