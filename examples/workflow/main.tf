# A realistic repository: the feature activated, one pool and its CIDR blocks in each region of
# var.regions, EIPs allocated from each pool, and lookups another stack would make with the data
# sources.

resource "alicloudvpc_public_ip_address_pool_service" "this" {
  for_each  = var.regions
  region_id = each.key
}

resource "alicloudvpc_public_ip_address_pool" "this" {
  for_each = var.regions

  # The reference orders each pool after its region's activation.
  region_id                   = alicloudvpc_public_ip_address_pool_service.this[each.key].region_id
  public_ip_address_pool_name = each.value.pool_name
  description                 = each.value.description
  isp                         = each.value.isp
  tags                        = merge(var.tags, each.value.tags, { region = each.key })
}

locals {
  # One entry per block, keyed so that adding a block to one region leaves every other block's
  # address unchanged: "<region>/mask-<index>" for allocated blocks, "<region>/<cidr>" for your
  # own.
  allocated_blocks = merge([
    for region, r in var.regions : {
      for i, mask in r.block_masks : "${region}/mask-${i}" => { region = region, mask = mask }
    }
  ]...)
  own_blocks = merge([
    for region, r in var.regions : {
      for cidr in r.blocks : "${region}/${cidr}" => { region = region, cidr = cidr }
    }
  ]...)
  # "<region>/eip-<index>": raising one region's count adds EIPs there and touches no other.
  eips = merge([
    for region, r in var.regions : {
      for i in range(r.eips) : "${region}/eip-${i}" => region
    }
  ]...)
}

resource "alicloudvpc_public_ip_address_pool_cidr_block" "allocated" {
  for_each = local.allocated_blocks

  region_id                 = alicloudvpc_public_ip_address_pool.this[each.value.region].region_id
  public_ip_address_pool_id = alicloudvpc_public_ip_address_pool.this[each.value.region].id
  cidr_mask                 = each.value.mask
}

resource "alicloudvpc_public_ip_address_pool_cidr_block" "own" {
  for_each = local.own_blocks

  region_id                 = alicloudvpc_public_ip_address_pool.this[each.value.region].region_id
  public_ip_address_pool_id = alicloudvpc_public_ip_address_pool.this[each.value.region].id
  cidr_block                = each.value.cidr
}

# EIPs name only their pool, so depends_on makes Terraform add the blocks first: a pool without
# blocks has no addresses to give. (depends_on cannot pick one region's blocks, so every EIP
# waits for every block; they are created together in one apply anyway.) Without `isp` an EIP
# takes its pool's line type.
resource "alicloudvpc_eip_address" "this" {
  for_each = local.eips

  region_id                 = alicloudvpc_public_ip_address_pool.this[each.value].region_id
  public_ip_address_pool_id = alicloudvpc_public_ip_address_pool.this[each.value].id
  address_name              = replace(each.key, "/", "-")
  tags                      = merge(var.tags, { region = each.value })

  depends_on = [
    alicloudvpc_public_ip_address_pool_cidr_block.allocated,
    alicloudvpc_public_ip_address_pool_cidr_block.own,
  ]
}

# What a consuming stack would read: the pools of this stack in each region, by tag, and the
# blocks of each that are ready, and the EIPs allocated from each pool. depends_on makes them
# read after the blocks are added and the EIPs allocated, so that the address counts include
# them and a second plan reads the same.
data "alicloudvpc_public_ip_address_pools" "stack" {
  for_each  = var.regions
  region_id = alicloudvpc_public_ip_address_pool.this[each.key].region_id

  tags = {
    stack = var.tags["stack"]
  }

  depends_on = [
    alicloudvpc_public_ip_address_pool_cidr_block.allocated,
    alicloudvpc_public_ip_address_pool_cidr_block.own,
    alicloudvpc_eip_address.this,
  ]
}

data "alicloudvpc_public_ip_address_pool_cidr_blocks" "ready" {
  for_each                  = alicloudvpc_public_ip_address_pool.this
  region_id                 = each.value.region_id
  public_ip_address_pool_id = each.value.id
  status                    = "Created"

  depends_on = [
    alicloudvpc_public_ip_address_pool_cidr_block.allocated,
    alicloudvpc_public_ip_address_pool_cidr_block.own,
  ]
}

data "alicloudvpc_eip_addresses" "pool" {
  for_each                  = alicloudvpc_public_ip_address_pool.this
  region_id                 = each.value.region_id
  public_ip_address_pool_id = each.value.id

  depends_on = [alicloudvpc_eip_address.this]
}
