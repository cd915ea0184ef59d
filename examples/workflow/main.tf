# A realistic repository: the feature activated, one pool and its CIDR blocks in each region of
# var.regions, and lookups another stack would make with the data sources.

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

# What a consuming stack would read: the pools of this stack in each region, by tag, and the
# blocks of each that are ready. depends_on makes them read after the blocks are added, so that
# the address counts include them.
data "alicloudvpc_public_ip_address_pools" "stack" {
  for_each  = var.regions
  region_id = alicloudvpc_public_ip_address_pool.this[each.key].region_id

  tags = {
    stack = var.tags["stack"]
  }

  depends_on = [
    alicloudvpc_public_ip_address_pool_cidr_block.allocated,
    alicloudvpc_public_ip_address_pool_cidr_block.own,
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
