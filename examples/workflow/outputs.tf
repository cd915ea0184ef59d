output "pool_ids" {
  description = "The pool of each region, by region ID."
  value       = { for region, p in alicloudvpc_public_ip_address_pool.this : region => p.id }
}

output "allocated_blocks" {
  description = "The blocks Alibaba Cloud allocated, by their key in var.regions."
  value       = { for k, b in alicloudvpc_public_ip_address_pool_cidr_block.allocated : k => b.cidr_block }
}

output "eip_addresses" {
  description = "The address of each EIP, by its key (\"<region>/eip-<index>\")."
  value       = { for k, e in alicloudvpc_eip_address.this : k => e.ip_address }
}

output "ready_blocks" {
  description = "The ready CIDR blocks of each region's pool, as the data source reads them."
  value = {
    for region, d in data.alicloudvpc_public_ip_address_pool_cidr_blocks.ready :
    region => [for b in d.blocks : b.cidr_block]
  }
}

output "addresses" {
  description = "Addresses in each region's pool(s) of this stack: total and in use."
  value = {
    for region, d in data.alicloudvpc_public_ip_address_pools.stack : region => {
      total = sum(concat([0], [for p in d.pools : p.total_ip_num]))
      used  = sum(concat([0], [for p in d.pools : p.used_ip_num]))
    }
  }
}

output "pool_eips" {
  description = "The addresses of the EIPs allocated from each region's pool, as the data source reads them."
  value = {
    for region, d in data.alicloudvpc_eip_addresses.pool : region => [for e in d.addresses : e.ip_address]
  }
}
