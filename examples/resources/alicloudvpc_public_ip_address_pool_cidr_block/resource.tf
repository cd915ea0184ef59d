# The region's IP address pool feature must be active before a pool can be created.
resource "alicloudvpc_public_ip_address_pool_service" "this" {}

resource "alicloudvpc_public_ip_address_pool" "web" {
  public_ip_address_pool_name = "web"

  depends_on = [alicloudvpc_public_ip_address_pool_service.this]
}

# A block Alibaba Cloud allocates by size: /28 is 16 addresses. Once it exists you may replace
# cidr_mask with the allocated block (cidr_block = "47.x.x.x/28") without any change.
resource "alicloudvpc_public_ip_address_pool_cidr_block" "allocated" {
  public_ip_address_pool_id = alicloudvpc_public_ip_address_pool.web.id
  cidr_mask                 = 28
}

# A block of your own, with more time to add it than the default 5m.
resource "alicloudvpc_public_ip_address_pool_cidr_block" "own" {
  public_ip_address_pool_id = alicloudvpc_public_ip_address_pool.web.id
  cidr_block                = "47.0.0.0/24"

  timeouts {
    create = "10m"
  }
}

output "allocated_block" {
  value = alicloudvpc_public_ip_address_pool_cidr_block.allocated.cidr_block
}
