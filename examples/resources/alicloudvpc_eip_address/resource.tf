resource "alicloudvpc_public_ip_address_pool_service" "this" {}

resource "alicloudvpc_public_ip_address_pool" "web" {
  public_ip_address_pool_name = "web"
  isp                         = "BGP"
  depends_on                  = [alicloudvpc_public_ip_address_pool_service.this]
}

resource "alicloudvpc_public_ip_address_pool_cidr_block" "web" {
  public_ip_address_pool_id = alicloudvpc_public_ip_address_pool.web.id
  cidr_mask                 = 28
}

# An EIP from the pool: it takes the pool's line type. The block must exist first, hence the
# depends_on (the EIP names only the pool).
resource "alicloudvpc_eip_address" "web" {
  public_ip_address_pool_id = alicloudvpc_public_ip_address_pool.web.id
  address_name              = "web"
  bandwidth                 = 10

  tags = {
    env = "prod"
  }

  depends_on = [alicloudvpc_public_ip_address_pool_cidr_block.web]
}
