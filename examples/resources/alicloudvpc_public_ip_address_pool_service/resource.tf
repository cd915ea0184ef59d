# Activates the IP address pool feature in the provider's region.
resource "alicloudvpc_public_ip_address_pool_service" "this" {}

# Activates it in another region, allowing more time than the default 5m.
resource "alicloudvpc_public_ip_address_pool_service" "beijing" {
  region_id = "cn-beijing"

  timeouts {
    create = "10m"
  }
}
