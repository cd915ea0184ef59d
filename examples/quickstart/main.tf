# Quickstart: the whole IP address pool workflow in one region. Activate the feature, create a
# pool with tags, let Alibaba Cloud allocate a CIDR block to it, allocate EIPs from the pool,
# and read everything back with the data sources. `scripts/quickstart.sh` runs this against the
# local emulator; with real credentials it works on your Alibaba Cloud account (activating the
# feature cannot be undone, and a CIDR block of public addresses and its EIPs are billed).

terraform {
  required_version = ">= 1.11"

  required_providers {
    alicloudvpc = {
      source = "local/alicloudvpc"
    }
  }
}

variable "region" {
  description = "Region in which to activate the IP address pool feature and create the pool."
  type        = string
  default     = "cn-hangzhou"
}

# Credentials and endpoints come from the environment: ALIBABA_CLOUD_ACCESS_KEY_ID,
# ALIBABA_CLOUD_ACCESS_KEY_SECRET, and for the emulator ALIBABA_CLOUD_ENDPOINT_VPC and
# ALIBABA_CLOUD_ENDPOINT_STS (set by scripts/quickstart.sh).
provider "alicloudvpc" {
  region = var.region
}

resource "alicloudvpc_public_ip_address_pool_service" "this" {
  timeouts {
    create = "2m"
  }
}

# Reads the status after the resource has activated the feature.
data "alicloudvpc_public_ip_address_pool_service" "status" {
  region_id = alicloudvpc_public_ip_address_pool_service.this.region_id
}

resource "alicloudvpc_public_ip_address_pool" "this" {
  # The reference to the service makes Terraform activate the feature first: a pool cannot be
  # created in a region where it is not active.
  region_id                   = alicloudvpc_public_ip_address_pool_service.this.region_id
  public_ip_address_pool_name = "quickstart"
  description                 = "Created by the alicloudvpc quickstart"

  tags = {
    project = "quickstart"
    env     = "demo"
  }
}

# A /24 that Alibaba Cloud picks from its address space (256 addresses).
resource "alicloudvpc_public_ip_address_pool_cidr_block" "this" {
  region_id                 = alicloudvpc_public_ip_address_pool.this.region_id
  public_ip_address_pool_id = alicloudvpc_public_ip_address_pool.this.id
  cidr_mask                 = 24
}

# EIPs from the pool. They name only the pool, so depends_on makes Terraform add the block
# first: a pool without blocks has no addresses to give. Without `isp` they take the pool's
# line type (BGP).
resource "alicloudvpc_eip_address" "pool" {
  count = 2

  region_id                 = alicloudvpc_public_ip_address_pool.this.region_id
  public_ip_address_pool_id = alicloudvpc_public_ip_address_pool.this.id

  depends_on = [alicloudvpc_public_ip_address_pool_cidr_block.this]
}

resource "alicloudvpc_eip_address" "web" {
  region_id                 = alicloudvpc_public_ip_address_pool.this.region_id
  public_ip_address_pool_id = alicloudvpc_public_ip_address_pool.this.id
  address_name              = "quickstart-web"
  bandwidth                 = 10

  tags = {
    project = "quickstart"
    role    = "web"
  }

  depends_on = [alicloudvpc_public_ip_address_pool_cidr_block.this]
}

# The pool as another configuration would find it: by its tag. Read after the EIPs (and so
# after the block), so that its address counts include them and a second plan reads the same.
data "alicloudvpc_public_ip_address_pools" "tagged" {
  region_id = alicloudvpc_public_ip_address_pool_cidr_block.this.region_id
  ids       = [alicloudvpc_public_ip_address_pool_cidr_block.this.public_ip_address_pool_id]

  tags = {
    project = "quickstart"
  }

  depends_on = [alicloudvpc_eip_address.pool, alicloudvpc_eip_address.web]
}

data "alicloudvpc_public_ip_address_pool_cidr_blocks" "ready" {
  region_id                 = alicloudvpc_public_ip_address_pool_cidr_block.this.region_id
  public_ip_address_pool_id = alicloudvpc_public_ip_address_pool_cidr_block.this.public_ip_address_pool_id
  status                    = "Created"
}

# The EIPs allocated from the pool, as a firewall configuration elsewhere would look them up.
data "alicloudvpc_eip_addresses" "from_pool" {
  region_id                 = alicloudvpc_public_ip_address_pool.this.region_id
  public_ip_address_pool_id = alicloudvpc_public_ip_address_pool.this.id

  depends_on = [alicloudvpc_eip_address.pool, alicloudvpc_eip_address.web]
}

output "region_id" {
  description = "Region in which the feature is active."
  value       = alicloudvpc_public_ip_address_pool_service.this.region_id
}

output "enabled" {
  description = "Whether the feature is active, as the resource saw it after activation."
  value       = alicloudvpc_public_ip_address_pool_service.this.enabled
}

output "status_enabled" {
  description = "Whether the feature is active, as the data source reads it."
  value       = data.alicloudvpc_public_ip_address_pool_service.status.enabled
}

output "pool_id" {
  description = "The new pool's ID."
  value       = alicloudvpc_public_ip_address_pool.this.id
}

output "cidr_block" {
  description = "The block Alibaba Cloud allocated for cidr_mask = 24."
  value       = alicloudvpc_public_ip_address_pool_cidr_block.this.cidr_block
}

output "pools_view" {
  description = "The pools data source's view: each pool found by its tag, with its addresses."
  value = {
    for p in data.alicloudvpc_public_ip_address_pools.tagged.pools : p.id => {
      name         = p.public_ip_address_pool_name
      tags         = p.tags
      status       = p.status
      total_ip_num = p.total_ip_num
      used_ip_num  = p.used_ip_num
    }
  }
}

output "blocks_view" {
  description = "The CIDR blocks data source's view: the pool's ready blocks and their sizes."
  value = {
    for b in data.alicloudvpc_public_ip_address_pool_cidr_blocks.ready.blocks : b.cidr_block => b.total_ip_num
  }
}

output "eip_addresses" {
  description = "The addresses of the EIPs allocated from the pool, by resource address."
  value = merge(
    { for i, e in alicloudvpc_eip_address.pool : "pool[${i}]" => e.ip_address },
    { web = alicloudvpc_eip_address.web.ip_address },
  )
}

output "eips_view" {
  description = "The EIPs data source's view: each EIP of the pool by allocation ID."
  value = {
    for e in data.alicloudvpc_eip_addresses.from_pool.addresses : e.id => {
      ip_address = e.ip_address
      name       = e.address_name
      isp        = e.isp
      bandwidth  = e.bandwidth
      tags       = e.tags
    }
  }
}
