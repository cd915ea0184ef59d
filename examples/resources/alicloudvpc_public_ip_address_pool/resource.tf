# The region's IP address pool feature must be active before a pool can be created.
resource "alicloudvpc_public_ip_address_pool_service" "this" {}

resource "alicloudvpc_public_ip_address_pool" "web" {
  public_ip_address_pool_name = "web"
  description                 = "Addresses for the web tier"
  isp                         = "BGP"

  tags = {
    env  = "prod"
    team = "network"
  }

  depends_on = [alicloudvpc_public_ip_address_pool_service.this]
}
