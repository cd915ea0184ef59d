# The CIDR blocks of a pool that are ready to allocate addresses from.
data "alicloudvpc_public_ip_address_pool_cidr_blocks" "ready" {
  region_id                 = "cn-hangzhou"
  public_ip_address_pool_id = "pippool-bp1example0000000000"
  status                    = "Created"
}

output "ready_blocks" {
  value = [for b in data.alicloudvpc_public_ip_address_pool_cidr_blocks.ready.blocks : b.cidr_block]
}

output "free_addresses" {
  # concat with 0: sum() refuses an empty list.
  value = sum(concat([0], [for b in data.alicloudvpc_public_ip_address_pool_cidr_blocks.ready.blocks : b.total_ip_num - b.used_ip_num]))
}
